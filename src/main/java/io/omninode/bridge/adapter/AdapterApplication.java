package io.omninode.bridge.adapter;

import io.omninode.bridge.adapter.cluster.ClusterManagers;
import io.omninode.bridge.adapter.cluster.PeerCheckVerticle;
import io.omninode.bridge.adapter.config.AdapterSettings;
import io.omninode.bridge.adapter.config.ConfigException;
import io.omninode.bridge.adapter.metrics.AdapterMetricsFactory;
import io.omninode.bridge.adapter.metrics.MetricsSetup;
import io.omninode.bridge.adapter.redrive.RedriveCommand;
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

import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;

/**
 * The fat jar's entry point: Vert.x's launcher (-conf, -cluster, ...) with metrics enabled, a bound
 * on shutdown, and start-up failures told in one line.
 * Every start-up failure logs one ERROR line ({@link Failures}) and the process exits non-zero.
 * On SIGTERM the launcher closes Vert.x, which stops the verticles (the consumer drains and
 * commits); if that takes longer than {@code resilience.shutdown_timeout_ms} the process halts.
 * A SIGTERM during start-up is the same clean stop ({@link EarlyStop}, {@link MainDeployment}).
 * {@code redrive ...} as the first argument runs the {@link RedriveCommand} instead, without Vert.x.
 */
public final class AdapterApplication extends VertxApplication implements VertxApplicationHooks {

  private static final Logger log = LoggerFactory.getLogger(AdapterApplication.class);
  static final int EXIT_SHUTDOWN_TIMEOUT = 3;

  private final ProgramArguments arguments;
  private final EarlyStop earlyStop = new EarlyStop();
  private final MainDeployment deployment = new MainDeployment();
  private AdapterSettings settings;
  private HazelcastClusterManager clusterManager;

  private AdapterApplication(String[] args) {
    super(args);
    arguments = new ProgramArguments(args);
  }

  public static void main(String[] args) {
    if (args.length > 0 && RedriveCommand.NAME.equals(args[0])) {
      System.exit(RedriveCommand.run(Arrays.copyOfRange(args, 1, args.length)));
    }
    AdapterApplication application = new AdapterApplication(args);
    application.earlyStop.arm();
    application.launch();
  }

  @Override
  public JsonObject afterVertxOptionsParsed(JsonObject options) {
    return readable(ProgramArguments.OPTIONS, options);
  }

  @Override
  public JsonObject afterDeploymentOptionsParsed(JsonObject options) {
    return readable(ProgramArguments.DEPLOYMENT_OPTIONS, options);
  }

  /** Read once here: the deployment options that will carry the config do not exist yet when Vert.x starts. */
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

  /**
   * Vert.x's metrics through {@link AdapterMetricsFactory}. With {@code -cluster}, Hazelcast configured
   * from the {@code cluster} section; without, not even built (its classes and default XML cost
   * memory an unclustered adapter does not need).
   */
  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    VertxBuilder builder = Vertx.builder().with(options).withMetrics(new AdapterMetricsFactory());
    if (!arguments.clustered()) {
      return builder;
    }
    clusterManager = ClusterManagers.hazelcast(settings.cluster());
    return builder.withClusterManager(clusterManager);
  }

  /**
   * Vert.x's metrics (event bus, pool, HTTP, JVM) in the registry that {@code /metrics} exports,
   * and the event bus address from the {@code cluster} section unless given on the command line.
   */
  @Override
  public void beforeStartingVertx(HookContext context) {
    context.vertxOptions().setMetricsOptions(MetricsSetup.vertxOptions(settings.http().metricsRegistry()));
    ClusterManagers.applyEventBus(settings.cluster(), context.vertxOptions().getEventBusOptions());
  }

  /** A stop while Vert.x was starting makes it fail too: that is a stop, not a failure to report. */
  @Override
  public void afterFailureToStartVertx(HookContext context, Throwable t) {
    if (!earlyStop.disarm()) {
      return;
    }
    Failures.vertxDidNotStart(t);
  }

  /** With {@code -cluster}: the event bus's TLS checked against every member that joins, or its absence said once. */
  @Override
  public void afterVertxStarted(HookContext context) {
    earlyStop.disarm();
    if (context.vertx().isClustered()) {
      PeerCheckVerticle.deployOrWarn(context.vertx(), settings.cluster().tls(), clusterManager,
          context.vertxOptions().getEventBusOptions()).onFailure(Failures::peersNotChecked);
    }
  }

  /**
   * The main verticle, given the settings read above (read once) and the cluster manager; kept at
   * hand so that a stop during start-up can end the start first.
   */
  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return () -> deployment.create(new MainVerticle(settings, clusterManager));
  }

  /** Also reached by a start ended early by a stop, which is not worth announcing. */
  @Override
  public void afterVerticleDeployed(HookContext context) {
    if (deployment.isStopping()) {
      return;
    }
    log.atInfo().addKeyValue("http_port", settings.http().port()).log("bridge-db-adapter started");
  }

  /** A stop during start-up also fails the deployment: that is a stop, not a failure to report. */
  @Override
  public void afterFailureToDeployVerticle(HookContext context, Throwable t) {
    if (!deployment.isStopping()) {
      Failures.notDeployed(t);
    }
    context.vertx().close();
  }

  @Override
  public void beforeStoppingVertx(HookContext context) {
    long timeoutMs = settings.resilience().shutdownTimeoutMs();
    log.atInfo().addKeyValue("timeout_ms", timeoutMs).log("Shutting down");
    Thread watchdog = new Thread(() -> haltAfter(timeoutMs), "shutdown-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
    deployment.stop();
  }

  @Override
  public void afterVertxStopped(HookContext context) {
    log.info("Shut down cleanly");
  }

  @Override
  public void afterFailureToStopVertx(HookContext context, Throwable t) {
    Failures.notStopped(t);
  }

  /** The launcher passes null for an option it could not read, and carries on without it; we do not. */
  private JsonObject readable(List<String> option, JsonObject parsed) {
    arguments.unreadable(option, parsed).ifPresent(reason -> {
      throw refuse(reason);
    });
    return parsed;
  }

  /** Thrown from a launcher hook, any exception ends the process with exit code 1 and prints nothing more. */
  private IllegalStateException refuse(String reason) {
    earlyStop.disarm();
    Failures.cannotStart(reason);
    return new IllegalStateException(reason);
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
