package io.omninode.bridge.adapter.metrics;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.net.SocketAddress;
import io.vertx.core.spi.metrics.HttpServerMetrics;
import io.vertx.core.spi.observability.HttpRequest;
import io.vertx.micrometer.backends.BackendRegistries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** The HTTP server's metrics as Vert.x calls them, on vertx-micrometer-metrics' own meters. */
@DisplayName("HTTP server metrics")
class BoundedHttpServerMetricsTest {

  private static final String REGISTRY = "bounded-http-server-metrics";
  private static final SocketAddress CLIENT = SocketAddress.inetSocketAddress(40_000, "127.0.0.1");

  private Vertx vertx;
  private HttpServerMetrics<Object, Object, Object> metrics;

  @BeforeEach
  @SuppressWarnings("unchecked")
  void createMetrics() {
    vertx = Vertx.builder().with(new VertxOptions().setMetricsOptions(MetricsSetup.vertxOptions(REGISTRY)))
        .withMetrics(new AdapterMetricsFactory()).build();
    metrics = (HttpServerMetrics<Object, Object, Object>) ((VertxInternal) vertx).metrics()
        .createHttpServerMetrics(new HttpServerOptions(), SocketAddress.inetSocketAddress(8080, "127.0.0.1"));
  }

  @AfterEach
  void closeVertx() throws Exception {
    vertx.close().await(10, TimeUnit.SECONDS);
  }

  @Test
  @DisplayName("the reset of a stream whose request never began (Vert.x reports it with no request metric) "
      + "is not counted and throws nothing")
  void resetOfARequestThatNeverBegan() {
    Object socket = metrics.connected(CLIENT, "127.0.0.1");

    assertThatCode(() -> metrics.requestReset(null)).doesNotThrowAnyException();
    metrics.disconnected(socket, CLIENT);

    assertThat(resets()).isZero();
  }

  @Test
  @DisplayName("the reset of a request that began is counted, with its method folded")
  void resetOfABegunRequestIsCounted() {
    Object socket = metrics.connected(CLIENT, "127.0.0.1");
    Object request = metrics.requestBegin(socket, new Request(HttpMethod.valueOf("BREW")));

    metrics.requestReset(request);
    metrics.disconnected(socket, CLIENT);

    assertThat(resets()).isEqualTo(1.0);
    assertThat(scrape()).contains("vertx_http_server_request_resets_total{method=\"OTHER\"} 1.0");
  }

  private double resets() {
    return scrape().lines().filter(line -> line.startsWith("vertx_http_server_request_resets_total"))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1))).sum();
  }

  private static String scrape() {
    return ((PrometheusMeterRegistry) BackendRegistries.getNow(REGISTRY)).scrape();
  }

  private record Request(HttpMethod method) implements HttpRequest {

    @Override
    public int id() {
      return 1;
    }

    @Override
    public String uri() {
      return "/health";
    }

    @Override
    public String absoluteURI() {
      return "http://127.0.0.1:8080/health";
    }

    @Override
    public MultiMap headers() {
      return MultiMap.caseInsensitiveMultiMap();
    }

    @Override
    public SocketAddress remoteAddress() {
      return CLIENT;
    }
  }
}
