package io.omninode.bridge.adapter;

import io.omninode.bridge.adapter.batching.OperationVerticle;
import io.omninode.bridge.adapter.config.AdapterSettings;
import io.omninode.bridge.adapter.config.DatabaseSettings;
import io.omninode.bridge.adapter.contract.ResultPath;
import io.omninode.bridge.adapter.ingest.KafkaConsumerVerticle;
import io.omninode.bridge.adapter.metrics.AdapterMetrics;
import io.omninode.bridge.adapter.metrics.MetricsSetup;
import io.omninode.bridge.adapter.operation.Operation;
import io.omninode.bridge.adapter.store.DatabaseBreaker;
import io.omninode.bridge.adapter.store.Migrations;
import io.omninode.bridge.adapter.store.PgPools;
import io.omninode.bridge.adapter.store.StartupProbe;
import io.omninode.bridge.adapter.web.WebVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.core.spi.cluster.ClusterManager;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Deploys the adapter: schema migrations, a probe of the reactive pool (a TLS or login refusal stops
 * start-up), a verticle per operation, the web verticle, and last the Kafka consumer (so that
 * nothing is consumed before it can be written). Its start runs as {@link StartSteps}, which a stop
 * during start-up cuts short.
 */
public final class MainVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(MainVerticle.class);

  private final AdapterSettings settings;
  private final ClusterManager clusterManager;
  private final StartSteps steps;
  private DatabaseBreaker breaker;
  private AdapterMetrics metrics;
  private Pool pool;

  /** As the launcher deploys it ({@link Lifecycle}): settings read once, the cluster manager if any, steps it can cut short. */
  MainVerticle(AdapterSettings settings, ClusterManager clusterManager, StartSteps steps) {
    this.settings = settings;
    this.clusterManager = clusterManager;
    this.steps = steps;
  }

  /** Outside the launcher (tests): settings from {@code config}, environment last; not clustered. */
  public static MainVerticle from(JsonObject config) {
    return new MainVerticle(AdapterSettings.from(config, System.getenv()), null, new StartSteps());
  }

  @Override
  public Future<?> start() {
    breaker = new DatabaseBreaker(vertx, settings.resilience());
    ResultPath.registerCodecs(vertx.eventBus());
    metrics = new AdapterMetrics(MetricsSetup.registry(settings.http().metricsRegistry()));
    metrics.gauge("bridge.circuit.breaker.state", "database breaker: 0 closed, 1 half-open, 2 open",
        breaker::stateValue);
    log.atInfo().addKeyValue("database", settings.database().toString()).addKeyValue("kafka", settings.kafka().bootstrapServers())
        .log("Starting bridge-db-adapter");
    // held until stop: closed after the probe, it would tear the shared pool down before the verticles take theirs
    pool = PgPools.shared(vertx, settings.database());
    return steps.run(context, List.of(
        () -> migrate(settings.database()),
        () -> StartupProbe.run(vertx, pool, settings.database()),
        () -> Future.all(Operation.all().stream().map(this::deploy).toList()),
        () -> vertx.deployVerticle(new WebVerticle(settings, breaker, metrics, vertx.isClustered() ? clusterManager : null)),
        () -> vertx.deployVerticle(new KafkaConsumerVerticle(settings, breaker, metrics))));
  }

  @Override
  public Future<?> stop() {
    breaker.close();
    ResultPath.unregisterCodecs(vertx.eventBus());
    return pool == null ? Future.succeededFuture() : pool.close();
  }

  private Future<Integer> migrate(DatabaseSettings database) {
    if (!database.migrate()) {
      return Future.succeededFuture(0);
    }
    return vertx.executeBlocking(() -> Migrations.apply(database));
  }

  private <R> Future<String> deploy(Operation<R> operation) {
    return vertx.deployVerticle(() -> new OperationVerticle<>(operation, settings, breaker, metrics),
        new DeploymentOptions().setInstances(settings.operations().instances()));
  }
}
