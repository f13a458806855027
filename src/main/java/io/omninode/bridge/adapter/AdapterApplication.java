package io.omninode.bridge.adapter;

import io.omninode.bridge.adapter.cluster.ClusterManagers;
import io.omninode.bridge.adapter.config.AdapterSettings;
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

import java.util.function.Supplier;

/**
 * The fat jar's entry point: Vert.x's launcher (-conf, -cluster, ...) with metrics enabled, plus a
 * bound on shutdown.
 * On SIGTERM the launcher closes Vert.x, which stops the verticles (the consumer drains and
 * commits); if that takes longer than {@code resilience.shutdown_timeout_ms} the process halts.
 */
public final class AdapterApplication extends VertxApplication implements VertxApplicationHooks {

  private static final Logger log = LoggerFactory.getLogger(AdapterApplication.class);
  static final int EXIT_SHUTDOWN_TIMEOUT = 3;

  private AdapterSettings settings;
  private HazelcastClusterManager clusterManager;

  private AdapterApplication(String[] args) {
    super(args);
  }

  public static void main(String[] args) {
    new AdapterApplication(args).launch();
  }

  /** Read once here: the deployment options that will carry the config do not exist yet when Vert.x starts. */
  @Override
  public JsonObject afterConfigParsed(JsonObject config) {
    settings = AdapterSettings.from(config == null ? new JsonObject() : config, System.getenv());
    return config;
  }

  /** With {@code -cluster}, Hazelcast configured from the {@code cluster} section (unused otherwise). */
  @Override
  public VertxBuilder createVertxBuilder(VertxOptions options) {
    clusterManager = ClusterManagers.hazelcast(settings.cluster());
    return Vertx.builder().with(options).withClusterManager(clusterManager);
  }

  /** The main verticle, given the settings read above (read once) and the cluster manager. */
  @Override
  public Supplier<? extends Deployable> verticleSupplier() {
    return () -> new MainVerticle(settings, clusterManager);
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

  @Override
  public void beforeStoppingVertx(HookContext context) {
    long timeoutMs = settings.resilience().shutdownTimeoutMs();
    log.atInfo().addKeyValue("timeout_ms", timeoutMs).log("Shutting down");
    Thread watchdog = new Thread(() -> haltAfter(timeoutMs), "shutdown-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  @Override
  public void afterVertxStopped(HookContext context) {
    log.info("Shut down cleanly");
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
