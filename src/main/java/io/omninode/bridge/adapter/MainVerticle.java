package io.omninode.bridge.adapter;

import io.omninode.bridge.adapter.config.AdapterSettings;
import io.omninode.bridge.adapter.config.DatabaseSettings;
import io.omninode.bridge.adapter.ingest.KafkaConsumerVerticle;
import io.omninode.bridge.adapter.metrics.AdapterMetrics;
import io.omninode.bridge.adapter.metrics.MetricsSetup;
import io.omninode.bridge.adapter.operation.BridgeStateVerticle;
import io.omninode.bridge.adapter.operation.LocalCall;
import io.omninode.bridge.adapter.operation.FsmTransitionVerticle;
import io.omninode.bridge.adapter.operation.MetadataStampVerticle;
import io.omninode.bridge.adapter.operation.NodeHeartbeatVerticle;
import io.omninode.bridge.adapter.operation.WorkflowExecutionVerticle;
import io.omninode.bridge.adapter.operation.WorkflowStepVerticle;
import io.omninode.bridge.adapter.store.DatabaseBreaker;
import io.omninode.bridge.adapter.store.Migrations;
import io.omninode.bridge.adapter.store.PgPools;
import io.omninode.bridge.adapter.store.StartupProbe;
import io.omninode.bridge.adapter.web.WebVerticle;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * Deploys the adapter: schema migrations, a probe of the reactive pool (a TLS or login refusal stops
 * start-up), the six operation verticles, the web verticle, and last the Kafka consumer (so that
 * nothing is consumed before it can be written).
 */
public final class MainVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(MainVerticle.class);

  /** The constructor every operation verticle has. */
  private interface OperationFactory {
    VerticleBase create(AdapterSettings settings, DatabaseBreaker breaker, AdapterMetrics metrics);
  }

  private static final List<OperationFactory> OPERATIONS = List.of(
      WorkflowExecutionVerticle::new,
      WorkflowStepVerticle::new,
      MetadataStampVerticle::new,
      FsmTransitionVerticle::new,
      BridgeStateVerticle::new,
      NodeHeartbeatVerticle::new);

  private DatabaseBreaker breaker;
  private AdapterMetrics metrics;
  private Pool pool;

  @Override
  public Future<?> start() {
    AdapterSettings settings = AdapterSettings.from(config(), System.getenv());
    breaker = new DatabaseBreaker(vertx, settings.resilience());
    LocalCall.registerCodecs(vertx.eventBus());
    metrics = new AdapterMetrics(MetricsSetup.registry(settings.http().metricsRegistry()));
    metrics.gauge("bridge.circuit.breaker.state", "database breaker: 0 closed, 1 half-open, 2 open",
        breaker::stateValue);
    log.atInfo().addKeyValue("database", settings.database().toString()).addKeyValue("kafka", settings.kafka().bootstrapServers())
        .log("Starting bridge-db-adapter");
    // held until stop: closed after the probe, it would tear the shared pool down before the verticles take theirs
    pool = PgPools.shared(vertx, settings.database());
    return migrate(settings.database())
        .compose(v -> StartupProbe.run(vertx, pool, settings.database()))
        .compose(v -> Future.all(OPERATIONS.stream().map(operation -> deployOperation(operation, settings)).toList()))
        .compose(v -> vertx.deployVerticle(new WebVerticle(settings, breaker, metrics)))
        .compose(v -> vertx.deployVerticle(new KafkaConsumerVerticle(settings, breaker, metrics)));
  }

  @Override
  public Future<?> stop() {
    breaker.close();
    LocalCall.unregisterCodecs(vertx.eventBus());
    return pool.close();
  }

  private Future<Integer> migrate(DatabaseSettings database) {
    if (!database.migrate()) {
      return Future.succeededFuture(0);
    }
    return vertx.executeBlocking(() -> Migrations.apply(database));
  }

  private Future<String> deployOperation(OperationFactory operation, AdapterSettings settings) {
    return vertx.deployVerticle(() -> operation.create(settings, breaker, metrics),
        new DeploymentOptions().setInstances(settings.operations().instances()));
  }
}
