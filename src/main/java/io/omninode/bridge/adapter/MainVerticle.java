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
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Supplier;

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

  /** How far start() has gone, for a stop that arrives meanwhile; guarded by this. */
  private enum Stage { WAITING, MIGRATING, DEPLOYING }

  private final Promise<Void> started = Promise.promise();
  private Stage stage = Stage.WAITING;
  private boolean aborted;
  private DatabaseBreaker breaker;
  private AdapterMetrics metrics;
  private Pool pool;

  @Override
  public Future<?> start() {
    if (!enter(Stage.MIGRATING)) {
      // stopped before it started: Vert.x fails this deployment as it closes, and would report
      // "Promise already completed" if the future returned here ever completed
      return Promise.promise().future();
    }
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
    migrate(settings.database())
        .compose(v -> unlessAborted(() -> StartupProbe.run(vertx, pool, settings.database())))
        .compose(v -> unlessAborted(() -> Future.all(OPERATIONS.stream().map(operation -> deployOperation(operation, settings)).toList())))
        .compose(v -> unlessAborted(() -> vertx.deployVerticle(new WebVerticle(settings, breaker, metrics))))
        .compose(v -> unlessAborted(() -> vertx.deployVerticle(new KafkaConsumerVerticle(settings, breaker, metrics))))
        .onSuccess(v -> started.tryComplete())
        .onFailure(started::tryFail);
    return started.future();
  }

  /**
   * A stop during start-up: the step under way (migrations, or one deployment) finishes, nothing more
   * is deployed, and start() succeeds with what it has, so that Vert.x's close stops that in order.
   * Completes once Vert.x has seen start() settle (one event-loop turn later); at once if start()
   * has not begun, which it then never completes (see start()).
   */
  public synchronized Future<Void> abortStart() {
    aborted = true;
    if (stage == Stage.WAITING) {
      return Future.succeededFuture();
    }
    return started.future().transform(settled -> Future.future(turn -> context.runOnContext(v -> turn.complete())));
  }

  @Override
  public Future<?> stop() {
    breaker.close();
    LocalCall.unregisterCodecs(vertx.eventBus());
    return pool == null ? Future.succeededFuture() : pool.close();
  }

  private Future<Integer> migrate(DatabaseSettings database) {
    if (!database.migrate()) {
      return Future.succeededFuture(0);
    }
    return vertx.executeBlocking(() -> Migrations.apply(database));
  }

  /** The step runs outside the lock: a deployment during Vert.x's close waits for the close hooks. */
  private Future<?> unlessAborted(Supplier<Future<?>> step) {
    return enter(Stage.DEPLOYING) ? step.get() : Future.succeededFuture();
  }

  private synchronized boolean enter(Stage next) {
    stage = next;
    return !aborted;
  }

  private Future<String> deployOperation(OperationFactory operation, AdapterSettings settings) {
    return vertx.deployVerticle(() -> operation.create(settings, breaker, metrics),
        new DeploymentOptions().setInstances(settings.operations().instances()));
  }
}
