package io.omninode.bridge.adapter;

import io.omninode.bridge.adapter.cluster.ClusterManagers;
import io.omninode.bridge.adapter.cluster.PeerCheckVerticle;
import io.omninode.bridge.adapter.config.AdapterSettings;
import io.omninode.bridge.adapter.config.ConfigException;
import io.omninode.bridge.adapter.metrics.AdapterMetricsFactory;
import io.omninode.bridge.adapter.metrics.MetricsSetup;
import io.vertx.core.Deployable;
import io.vertx.core.Vertx;
import io.vertx.core.VertxBuilder;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.launcher.application.HookContext;
import io.vertx.launcher.application.VertxApplication;
import io.vertx.launcher.application.VertxApplicationHooks;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * The adapter's process from launch to exit, through Vert.x's launcher (-conf, -cluster, ...), whose
 * hooks below come in the order it calls them: the settings, read once; Vert.x, with metrics and, with
 * {@code -cluster}, Hazelcast; the {@link MainVerticle}; the stop.
 * <p>
 * A start-up failure is one {@code Cannot start: } line ({@link Failures}) and a non-zero exit. A stop
 * (SIGTERM) is never a failure, whenever it comes, and ends with {@code Shut down cleanly}:
 * <ul>
 * <li>before Vert.x runs, the launcher has no shutdown hook yet: {@link #earlyStop} says it;
 * <li>while the main verticle starts, its {@link StartSteps} are cut short: the step under way
 *     (migrations, a deployment) ends, nothing more starts, and the start succeeds with what it has,
 *     so that Vert.x's close stops that in order. Vert.x 5.0.8 would fail a verticle still starting
 *     as it closes, then log "Promise already completed" once that start completed;
 * <li>once running, Vert.x's close stops the verticles (the consumer drains and commits); past
 *     {@code resilience.shutdown_timeout_ms} the process halts (exit code 3).
 * </ul>
 */
final class Lifecycle implements VertxApplicationHooks {

  private static final Logger log = LoggerFactory.getLogger(Lifecycle.class);
  private static final int EXIT_SHUTDOWN_TIMEOUT = 3;
  /** A stop waits this long at most for the start-up step under way to end. */
  private static final long SETTLE_MS = 5_000;

  private final ProgramArguments arguments;
  private final Thread earlyStop = new Thread(() -> log.info("Shut down cleanly"), "early-stop");
  private final StartSteps start = new StartSteps();
  private volatile boolean stopping;
  private AdapterSettings settings;
  private HazelcastClusterManager clusterManager;

  private Lifecycle(String[] args) {
    arguments = new ProgramArguments(args);
  }

  /** Starts the adapter, which then runs until stopped; the process exits if it cannot start. */
  static void launch(String[] args) {
    Lifecycle lifecycle = new Lifecycle(args);
    Runtime.getRuntime().addShutdownHook(lifecycle.earlyStop);
    new VertxApplication(args, lifecycle).launch();
  }

  @Override
  public JsonObject afterVertxOptionsParsed(JsonObject options) {
    return readable(ProgramArguments.OPTIONS, options);
  }

  @Override
  public JsonObject afterDeploymentOptionsParsed(JsonObject options) {
    return readable(ProgramArguments.DEPLOYMENT_OPTIONS, options);
  }

  /** Read here, once: the deployment options that will carry the config do not exist yet when Vert.x starts. */
  @Override
  public JsonObject afterConfigParsed(JsonObject config) {
    readable(ProgramArguments.CONF, config);
    try {
      settings = AdapterSettings.from(config == null ? new JsonObject() : config, System.getenv());
    } catch (ConfigException e) {
      throw refuse(e.getMessage());
    }
    return config;
  }

  /** Hazelcast only with {@code -cluster}: its classes and default XML cost memory an unclustered adapter does not need. */
  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    VertxBuilder builder = Vertx.builder().with(options).withMetrics(new AdapterMetricsFactory());
    if (!arguments.clustered()) {
      return builder;
    }
    clusterManager = ClusterManagers.hazelcast(settings.cluster());
    return builder.withClusterManager(clusterManager);
  }

  /** Vert.x's own metrics in the registry {@code /metrics} exports; the event bus's address unless given on the command line. */
  @Override
  public void beforeStartingVertx(HookContext context) {
    context.vertxOptions().setMetricsOptions(MetricsSetup.vertxOptions(settings.http().metricsRegistry()));
    ClusterManagers.applyEventBus(settings.cluster(), context.vertxOptions().getEventBusOptions());
  }

  /** A stop while Vert.x was starting makes it fail too: that is a stop, not a failure to report. */
  @Override
  public void afterFailureToStartVertx(HookContext context, Throwable t) {
    if (disarmEarlyStop()) {
      Failures.vertxDidNotStart(t);
    }
  }

  /** With {@code -cluster}: the event bus's TLS checked against every member that joins, or its absence said once. */
  @Override
  public void afterVertxStarted(HookContext context) {
    disarmEarlyStop();
    if (context.vertx().isClustered()) {
      PeerCheckVerticle.deployOrWarn(context.vertx(), settings.cluster().tls(), clusterManager,
          context.vertxOptions().getEventBusOptions()).onFailure(Failures::peersNotChecked);
    }
  }

  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return () -> new MainVerticle(settings, clusterManager, start);
  }

  /** Also reached by a start cut short by a stop, which is not worth announcing. */
  @Override
  public void afterVerticleDeployed(HookContext context) {
    if (!stopping) {
      log.atInfo().addKeyValue("http_port", settings.http().port()).log("bridge-db-adapter started");
    }
  }

  /** A stop during start-up also fails the deployment: that is a stop, not a failure to report. */
  @Override
  public void afterFailureToDeployVerticle(HookContext context, Throwable t) {
    if (!stopping) {
      Failures.notDeployed(t);
    }
    context.vertx().close();
  }

  /** Inside Vert.x's close, before it undeploys, on the thread that closes (never an event loop). */
  @Override
  public void beforeStoppingVertx(HookContext context) {
    stopping = true;
    long timeoutMs = settings.resilience().shutdownTimeoutMs();
    log.atInfo().addKeyValue("timeout_ms", timeoutMs).log("Shutting down");
    Thread watchdog = new Thread(() -> haltAfter(timeoutMs), "shutdown-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    endStart();
  }

  @Override
  public void afterVertxStopped(HookContext context) {
    log.info("Shut down cleanly");
  }

  @Override
  public void afterFailureToStopVertx(HookContext context, Throwable t) {
    Failures.notStopped(t);
  }

  private JsonObject readable(List<String> option, JsonObject parsed) {
    arguments.unreadable(option, parsed).ifPresent(reason -> {
      throw refuse(reason);
    });
    return parsed;
  }

  /** Thrown from a launcher hook, any exception ends the process with exit code 1 and prints nothing more. */
  private IllegalStateException refuse(String reason) {
    disarmEarlyStop();
    Failures.cannotStart(reason);
    return new IllegalStateException(reason);
  }

  /** From now on the launcher's hook answers a stop, or start-up failed; false if a stop has already begun. */
  private boolean disarmEarlyStop() {
    try {
      return Runtime.getRuntime().removeShutdownHook(earlyStop);
    } catch (IllegalStateException shuttingDown) {
      return false;
    }
  }

  private void endStart() {
    try {
      start.abort().toCompletionStage().toCompletableFuture().get(SETTLE_MS, TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      log.warn("Start-up did not settle within {} ms, stopping anyway", SETTLE_MS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static void haltAfter(long timeoutMs) {
    try {
      Thread.sleep(timeoutMs);
      log.error("Shutdown took longer than {} ms, halting", timeoutMs);
      Runtime.getRuntime().halt(EXIT_SHUTDOWN_TIMEOUT);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
