package io.omninode.bridge.adapter.web;

import io.omninode.bridge.adapter.config.DatabaseSettings;
import io.omninode.bridge.adapter.config.HttpSettings;
import io.omninode.bridge.adapter.operation.Addresses;
import io.omninode.bridge.adapter.store.PgPools;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.http.HttpServer;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Serves the liveness and readiness probes (full health and metrics come with observability). */
public final class WebVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(WebVerticle.class);
  private static final String PROBE_QUERY = "SELECT 1";
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setSendTimeout(2_000);

  private final HttpSettings http;
  private final DatabaseSettings database;
  private Pool pool;
  private HttpServer server;

  public WebVerticle(HttpSettings http, DatabaseSettings database) {
    this.http = http;
    this.database = database;
  }

  @Override
  public Future<?> start() {
    pool = PgPools.shared(vertx, database);
    Router router = Router.router(vertx);
    router.get("/health/live").handler(this::live);
    router.get("/health/ready").handler(this::ready);
    return vertx.createHttpServer().requestHandler(router).listen(http.port())
        .onSuccess(started -> {
          server = started;
          log.atInfo().addKeyValue("port", started.actualPort()).log("Health endpoints listening");
        });
  }

  /** The port actually bound (differs from the setting when it is 0). */
  public int actualPort() {
    return server.actualPort();
  }

  private void live(RoutingContext ctx) {
    ctx.json(new JsonObject().put("status", "UP"));
  }

  /** Ready when the database answers; the consumer's counters are shown for operators. */
  private void ready(RoutingContext ctx) {
    Future<JsonObject> databaseUp = pool.query(PROBE_QUERY).execute().map(rows -> new JsonObject().put("status", "UP"));
    Future<JsonObject> ingest = vertx.eventBus().<JsonObject>request(Addresses.INGEST_STATS, null, LOCAL)
        .map(reply -> reply.body());
    Future.join(databaseUp, ingest).onComplete(done -> {
      boolean ready = databaseUp.succeeded();
      JsonObject body = new JsonObject()
          .put("status", ready ? "UP" : "DOWN")
          .put("database", databaseUp.succeeded() ? databaseUp.result()
              : new JsonObject().put("status", "DOWN").put("error", databaseUp.cause().getMessage()))
          .put("kafka_consumer", ingest.succeeded() ? ingest.result() : new JsonObject().put("status", "STARTING"));
      ctx.response().setStatusCode(ready ? 200 : 503);
      ctx.json(body);
    });
  }
}
