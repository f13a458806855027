package io.omninode.bridge.adapter.web;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.omninode.bridge.adapter.cluster.ClusterView;
import io.omninode.bridge.adapter.config.DatabaseSettings;
import io.omninode.bridge.adapter.contract.Addresses;
import io.omninode.bridge.adapter.store.DatabaseBreaker;
import io.omninode.bridge.adapter.store.PgPools;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.ext.healthchecks.HealthChecks;
import io.vertx.ext.healthchecks.Status;

/**
 * The health procedures of {@code /health}: the database, the circuit breaker, the Kafka
 * consumer (and whether its broker answers) and the cluster. Each reports {@code status} HEALTHY, DEGRADED or UNHEALTHY in its data; UNHEALTHY is
 * also a KO for vertx-health-check.
 */
final class HealthProcedures {

  static final String HEALTHY = "HEALTHY";
  static final String DEGRADED = "DEGRADED";
  static final String UNHEALTHY = "UNHEALTHY";
  private static final double BUSY_POOL = 0.8;
  private static final long TIMEOUT_MS = 2_000;
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true).setSendTimeout(TIMEOUT_MS);

  private final Vertx vertx;
  private final DatabaseProbe databaseProbe;
  private final DatabaseSettings database;
  private final DatabaseBreaker breaker;
  private final MeterRegistry registry;
  private final ClusterView cluster;
  private final BrokerProbe brokerProbe;

  HealthProcedures(Vertx vertx, DatabaseProbe databaseProbe, DatabaseSettings database, DatabaseBreaker breaker,
      MeterRegistry registry, ClusterManager clusterManager, BrokerProbe brokerProbe) {
    this.vertx = vertx;
    this.databaseProbe = databaseProbe;
    this.database = database;
    this.breaker = breaker;
    this.registry = registry;
    this.cluster = new ClusterView(vertx, clusterManager);
    this.brokerProbe = brokerProbe;
  }

  HealthChecks register() {
    return HealthChecks.create(vertx)
        .register("database", TIMEOUT_MS, this::checkDatabase)
        .register("circuit_breaker", TIMEOUT_MS, this::checkBreaker)
        .register("kafka_consumer", TIMEOUT_MS, this::checkConsumer)
        .register("cluster", TIMEOUT_MS, this::checkCluster);
  }

  /** The consumer's counters, lag and assignment, as the Kafka consumer verticle reports them. */
  Future<JsonObject> ingest() {
    return vertx.eventBus().<JsonObject>request(Addresses.INGEST_STATS, null, LOCAL).map(reply -> reply.body());
  }

  /** The probe's answer (at most a second old) and the pool's gauges now. */
  private void checkDatabase(Promise<Status> promise) {
    databaseProbe.version()
        .map(version -> {
          double inUse = poolGauge("vertx.pool.in.use");
          double busy = inUse / database.poolSize();
          return status(busy > BUSY_POOL ? DEGRADED : HEALTHY)
              .put("version", version)
              .put("pool", new JsonObject().put("size", database.poolSize()).put("in_use", (long) inUse)
                  .put("waiting", (long) poolGauge("vertx.pool.queue.pending")));
        })
        .onSuccess(data -> promise.complete(Status.OK(data)))
        .onFailure(failure -> promise.complete(Status.KO(status(UNHEALTHY).put("error", failure.getMessage()))));
  }

  private void checkBreaker(Promise<Status> promise) {
    JsonObject data = new JsonObject().put("state", breaker.state().name());
    switch (breaker.state()) {
      case CLOSED -> promise.complete(Status.OK(data.put("status", HEALTHY)));
      case HALF_OPEN -> promise.complete(Status.OK(data.put("status", DEGRADED)));
      case OPEN -> promise.complete(Status.KO(data.put("status", UNHEALTHY)));
    }
  }

  /** As the consumer reports itself, and UNHEALTHY while the broker does not answer. */
  private void checkConsumer(Promise<Status> promise) {
    Future<JsonObject> stats = ingest();
    Future<Void> reached = brokerProbe.reach();
    Future.join(stats, reached).onComplete(done -> promise.complete(consumerStatus(stats, reached)));
  }

  private static Status consumerStatus(Future<JsonObject> stats, Future<Void> reached) {
    if (stats.failed()) {
      return Status.KO(status(UNHEALTHY).put("error", "consumer not running"));
    }
    JsonObject data = consumerData(stats.result());
    if (reached.failed()) {
      return Status.KO(data.put("status", UNHEALTHY).put("error", reached.cause().getMessage()));
    }
    return Status.OK(data);
  }

  /** DEGRADED while the lag grows, or while a partition has not committed past a record for stuck_partition_ms. */
  private static JsonObject consumerData(JsonObject stats) {
    long lastCommit = stats.getLong("last_commit_at_ms");
    boolean stuck = !stats.getJsonArray("stuck_partitions").isEmpty();
    return status(stats.getBoolean("lag_growing") || stuck ? DEGRADED : HEALTHY)
        .put("stuck_partitions", stats.getJsonArray("stuck_partitions"))
        .put("oldest_uncommitted_ms", stats.getJsonObject("oldest_uncommitted_ms"))
        .put("assigned_partitions", stats.getInteger("assigned_partitions"))
        .put("paused", stats.getBoolean("paused"))
        .put("in_flight", stats.getInteger("in_flight"))
        .put("lag", stats.getJsonObject("lag"))
        .put("lag_total", stats.getLong("lag_total"))
        .put("seconds_since_last_commit", lastCommit == 0 ? null : (System.currentTimeMillis() - lastCommit) / 1000);
  }

  /** The Vert.x cluster's members as this instance sees them, and the partitions this instance owns. */
  private void checkCluster(Promise<Status> promise) {
    Future<JsonObject> partitions = ingest().map(stats -> stats.getJsonArray("partitions"))
        .map(owned -> new JsonObject().put("partitions", owned))
        .otherwise(new JsonObject().put("partitions", (Object) null));
    Future.all(cluster.describe(), partitions)
        .map(both -> status(HEALTHY).mergeIn(both.<JsonObject>resultAt(0)).mergeIn(both.<JsonObject>resultAt(1)))
        .onSuccess(data -> promise.complete(Status.OK(data)))
        .onFailure(failure -> promise.complete(Status.KO(status(UNHEALTHY).put("error", failure.getMessage()))));
  }

  /** A gauge of the shared pool from Vert.x's own metrics; 0 when Vert.x runs without metrics. */
  private double poolGauge(String name) {
    Gauge gauge = registry.find(name).tag("pool_name", PgPools.SHARED_POOL_NAME).gauge();
    return gauge == null || Double.isNaN(gauge.value()) ? 0 : gauge.value();
  }

  private static JsonObject status(String status) {
    return new JsonObject().put("status", status);
  }
}
