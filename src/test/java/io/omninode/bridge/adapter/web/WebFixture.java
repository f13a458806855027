package io.omninode.bridge.adapter.web;

import io.omninode.bridge.adapter.config.AdapterSettings;
import io.omninode.bridge.adapter.config.DatabaseSettings;
import io.omninode.bridge.adapter.metrics.AdapterMetrics;
import io.omninode.bridge.adapter.metrics.AdapterMetricsFactory;
import io.omninode.bridge.adapter.metrics.MetricsSetup;
import io.omninode.bridge.adapter.store.DatabaseBreaker;
import io.omninode.bridge.adapter.testsupport.Ports;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The web verticle as the launcher runs it: Vert.x built with the adapter's metrics options and
 * factory, a breaker and the adapter's meters, no Kafka consumer and a broker address where nothing
 * listens. Requests come from the JDK's HTTP client, so that only the server's series are in
 * {@code /metrics}.
 */
final class WebFixture implements AutoCloseable {

  /** A response's status and body. */
  record Response(int status, String body) {

    JsonObject json() {
      return new JsonObject(body);
    }
  }

  final Vertx vertx;
  final DatabaseBreaker breaker;
  private final String registryName;
  private final int port;
  private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private final ExecutorService connects = Executors.newFixedThreadPool(2);

  private WebFixture(AdapterSettings settings) throws TimeoutException {
    vertx = Vertx.builder()
        .with(new VertxOptions().setMetricsOptions(MetricsSetup.vertxOptions(settings.http().metricsRegistry())))
        .withMetrics(new AdapterMetricsFactory()).build();
    breaker = new DatabaseBreaker(vertx, settings.resilience());
    AdapterMetrics metrics = new AdapterMetrics(MetricsSetup.registry(settings.http().metricsRegistry()));
    vertx.deployVerticle(new WebVerticle(settings, breaker, metrics, null)).await(30, TimeUnit.SECONDS);
    port = settings.http().port();
    registryName = settings.http().metricsRegistry();
  }

  /** Started on {@code database}, with a breaker that one counted failure opens. */
  static WebFixture start(DatabaseSettings database) throws TimeoutException {
    JsonObject config = new JsonObject()
        .put("http", new JsonObject().put("port", Ports.free()).put("metrics_registry", "web-" + UUID.randomUUID()))
        .put("kafka", new JsonObject().put("bootstrap_servers", "127.0.0.1:" + Ports.free()))
        .put("database", new JsonObject().put("host", database.host()).put("port", database.port())
            .put("database", database.database()).put("user", database.user()).put("password", database.password())
            .put("pool_size", database.poolSize()))
        .put("resilience", new JsonObject().put("breaker_max_failures", 1));
    return new WebFixture(AdapterSettings.from(config, Map.of()));
  }

  Future<Response> send(String method, String path) {
    if (method.equals("CONNECT")) {
      return Future.fromCompletionStage(CompletableFuture.supplyAsync(() -> connect(path), connects));
    }
    HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
        .method(method, HttpRequest.BodyPublishers.noBody()).timeout(Duration.ofSeconds(30)).build();
    return Future.fromCompletionStage(client.sendAsync(request, HttpResponse.BodyHandlers.ofString())
        .thenApply(response -> new Response(response.statusCode(), response.body())));
  }

  /** The Micrometer registry that Vert.x and the adapter share. */
  String registryName() {
    return registryName;
  }

  Response get(String path) throws TimeoutException {
    return send("GET", path).await(30, TimeUnit.SECONDS);
  }

  /** The JDK's client refuses CONNECT: one on a socket of its own, closed after the response. */
  private Response connect(String path) {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      socket.getOutputStream().write(("CONNECT " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
      int bodyStart = response.indexOf("\r\n\r\n");
      return new Response(Integer.parseInt(response.split(" ", 3)[1]),
          bodyStart < 0 ? "" : response.substring(bodyStart + 4));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws TimeoutException {
    connects.shutdownNow();
    breaker.close();
    vertx.close().await(30, TimeUnit.SECONDS);
  }
}
