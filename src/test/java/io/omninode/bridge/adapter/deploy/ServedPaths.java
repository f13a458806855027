package io.omninode.bridge.adapter.deploy;

import io.omninode.bridge.adapter.config.AdapterSettings;
import io.omninode.bridge.adapter.metrics.AdapterMetrics;
import io.omninode.bridge.adapter.metrics.AdapterMetricsFactory;
import io.omninode.bridge.adapter.metrics.MetricsSetup;
import io.omninode.bridge.adapter.store.DatabaseBreaker;
import io.omninode.bridge.adapter.testsupport.Ports;
import io.omninode.bridge.adapter.web.WebVerticle;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The adapter's web verticle, started as the launcher starts it from a manifest's configuration, on a free
 * port of this machine, with nothing listening at the database's or the broker's address: what a probe sees
 * of a pod whose database is away.
 */
final class ServedPaths implements AutoCloseable {

  private final Vertx vertx;
  private final DatabaseBreaker breaker;
  private final int port;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  private ServedPaths(AdapterSettings settings) throws Exception {
    vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(MetricsSetup.vertxOptions(settings.http().metricsRegistry())))
        .withMetrics(new AdapterMetricsFactory()).build();
    breaker = new DatabaseBreaker(vertx, settings.resilience());
    AdapterMetrics metrics = new AdapterMetrics(MetricsSetup.registry(settings.http().metricsRegistry()));
    vertx.deployVerticle(new WebVerticle(settings, breaker, metrics, null)).await(30, TimeUnit.SECONDS);
    port = settings.http().port();
  }

  /**
   * The adapter as {@code config} and {@code env} configure it, with the HTTP port, the database and the broker
   * moved to local addresses (through the environment, which is applied last).
   */
  static ServedPaths start(JsonObject config, Map<String, String> env) throws Exception {
    Map<String, String> local = new HashMap<>(env);
    local.put("BRIDGE_HTTP_PORT", String.valueOf(Ports.free()));
    local.put("BRIDGE_HTTP_METRICS_REGISTRY", "manifests-" + UUID.randomUUID());
    local.put("BRIDGE_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + Ports.free());
    local.put("BRIDGE_DATABASE_HOST", "127.0.0.1");
    local.put("BRIDGE_DATABASE_PORT", String.valueOf(Ports.free()));
    return new ServedPaths(AdapterSettings.from(config, local));
  }

  int status(String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .timeout(Duration.ofSeconds(30)).GET().build();
    return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  @Override
  public void close() throws Exception {
    breaker.close();
    vertx.close().await(30, TimeUnit.SECONDS);
  }
}
