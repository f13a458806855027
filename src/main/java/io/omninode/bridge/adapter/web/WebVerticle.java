package io.omninode.bridge.adapter.web;

import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.omninode.bridge.adapter.config.AdapterSettings;
import io.omninode.bridge.adapter.metrics.AdapterMetrics;
import io.omninode.bridge.adapter.metrics.MetricsSummary;
import io.omninode.bridge.adapter.store.DatabaseBreaker;
import io.omninode.bridge.adapter.store.PgPools;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.ext.healthchecks.CheckResult;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.micrometer.PrometheusScrapingHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves health ({@code /health}, {@code /health/live}, {@code /health/ready}) and metrics
 * ({@code /metrics} in Prometheus text, {@code /metrics/summary} as JSON).
 */
public final class WebVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(WebVerticle.class);

  private final AdapterSettings settings;
  private final DatabaseBreaker breaker;
  private final AdapterMetrics metrics;
  private final ClusterManager clusterManager;
  private DatabaseProbe databaseProbe;
  private BrokerProbe brokerProbe;
  private HealthProcedures procedures;
  private HealthChecks health;

  /** {@code clusterManager}: the one Vert.x runs with under {@code -cluster}, else null. */
  public WebVerticle(AdapterSettings settings, DatabaseBreaker breaker, AdapterMetrics metrics,
      ClusterManager clusterManager) {
    this.settings = settings;
    this.breaker = breaker;
    this.metrics = metrics;
    this.clusterManager = clusterManager;
  }

  @Override
  public Future<?> start() {
    databaseProbe = new DatabaseProbe(PgPools.shared(vertx, settings.database()), settings.database());
    brokerProbe = new BrokerProbe(context, settings.kafka());
    procedures = new HealthProcedures(vertx, databaseProbe, settings.database(), breaker, metrics.registry(),
        clusterManager, brokerProbe);
    health = procedures.register();
    Router router = Router.router(vertx);
    router.get("/health").handler(this::health);
    router.get("/health/live").handler(this::live);
    router.get("/health/ready").handler(this::ready);
    router.get("/metrics/summary").handler(ctx -> ctx.json(MetricsSummary.of(metrics.registry())));
    if (metrics.registry() instanceof PrometheusMeterRegistry prometheus) {
      router.get("/metrics").handler(PrometheusScrapingHandler.create(prometheus));
    }
    int port = settings.http().port();
    return vertx.createHttpServer().requestHandler(router).listen(port)
        .onSuccess(server -> log.atInfo().addKeyValue("port", server.actualPort()).log("HTTP endpoints listening"))
        .onFailure(failure -> brokerProbe.close())
        .recover(failure -> Future.failedFuture(
            new IllegalStateException("cannot listen on http.port " + port + ": " + failure.getMessage(), failure)));
  }

  @Override
  public Future<?> stop() {
    return brokerProbe.close();
  }

  /** HEALTHY (200), DEGRADED (200) or UNHEALTHY (503), with each procedure's findings. */
  private void health(RoutingContext ctx) {
    health.checkStatus().onComplete(done -> {
      CheckResult result = done.succeeded() ? done.result() : CheckResult.from("health", done.cause());
      JsonObject checks = new JsonObject();
      String overall = HealthProcedures.HEALTHY;
      for (CheckResult check : result.getChecks()) {
        JsonObject data = check.getData() == null ? new JsonObject() : check.getData();
        String status = Boolean.TRUE.equals(check.getUp()) ? data.getString("status", HealthProcedures.HEALTHY)
            : HealthProcedures.UNHEALTHY;
        checks.put(check.getId(), data.copy().put("status", status));
        overall = worse(overall, status);
      }
      ctx.response().setStatusCode(HealthProcedures.UNHEALTHY.equals(overall) ? 503 : 200);
      ctx.json(new JsonObject().put("status", overall).put("checks", checks));
    });
  }

  /** The process works: this event loop answers (a blocked loop would not). */
  private void live(RoutingContext ctx) {
    ctx.json(new JsonObject().put("status", "UP"));
  }

  /** It can do its job: the database answers, the breaker is not open, and partitions are assigned. */
  private void ready(RoutingContext ctx) {
    Future<String> database = databaseProbe.version();
    Future<JsonObject> ingest = procedures.ingest();
    Future.join(database, ingest).onComplete(done -> {
      boolean breakerClosed = breaker.state() != CircuitBreakerState.OPEN;
      boolean assigned = ingest.succeeded() && ingest.result().getInteger("assigned_partitions", 0) > 0;
      boolean ready = database.succeeded() && breakerClosed && assigned;
      ctx.response().setStatusCode(ready ? 200 : 503);
      ctx.json(new JsonObject()
          .put("status", ready ? "UP" : "DOWN")
          .put("database", database.succeeded() ? "UP" : "DOWN: " + database.cause().getMessage())
          .put("circuit_breaker", breaker.state().name())
          .put("partitions_assigned", assigned)
          .put("kafka_consumer", ingest.succeeded() ? ingest.result() : null));
    });
  }

  private static String worse(String a, String b) {
    if (HealthProcedures.UNHEALTHY.equals(a) || HealthProcedures.UNHEALTHY.equals(b)) {
      return HealthProcedures.UNHEALTHY;
    }
    return HealthProcedures.DEGRADED.equals(a) || HealthProcedures.DEGRADED.equals(b)
        ? HealthProcedures.DEGRADED : HealthProcedures.HEALTHY;
  }
}
