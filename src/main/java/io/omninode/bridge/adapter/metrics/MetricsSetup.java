package io.omninode.bridge.adapter.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.vertx.micrometer.Label;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.micrometer.backends.BackendRegistries;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.EnumSet;

/**
 * Vert.x's Micrometer metrics with a Prometheus registry, named so that the adapter's own meters
 * join the same registry. The launcher enables them before Vert.x starts; tests do the same.
 */
public final class MetricsSetup {

  private static final Logger log = LoggerFactory.getLogger(MetricsSetup.class);

  private MetricsSetup() {
  }

  /** Options for a Vert.x instance whose metrics go to the Prometheus registry {@code registryName}. */
  public static MicrometerMetricsOptions vertxOptions(String registryName) {
    return new MicrometerMetricsOptions()
        .setEnabled(true)
        .setRegistryName(registryName)
        .setJvmMetricsEnabled(true)
        // bounded label values only: pool names, codes, routes as declared, never paths or ids;
        // the factory folds made-up methods and event-bus addresses (AdapterMetricsFactory)
        .setLabels(EnumSet.of(Label.EB_ADDRESS, Label.EB_SIDE, Label.POOL_TYPE, Label.POOL_NAME,
            Label.HTTP_METHOD, Label.HTTP_CODE, Label.HTTP_ROUTE))
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true));
  }

  /** The registry Vert.x was started with, or a registry of the adapter's own when Vert.x runs without metrics. */
  public static MeterRegistry registry(String registryName) {
    MeterRegistry registry = BackendRegistries.getNow(registryName);
    if (registry != null) {
      return registry;
    }
    log.atWarn().addKeyValue("registry", registryName)
        .log("Vert.x runs without metrics: only the adapter's own meters are exported");
    return new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  }
}
