package io.omninode.bridge.adapter.metrics;

import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.distribution.ValueAtPercentile;
import io.vertx.core.json.JsonObject;

import java.util.concurrent.TimeUnit;

/**
 * The JSON view of the metrics at {@code /metrics/summary}, for humans and scripts: events per
 * operation, mean and p95 statement time per operation, the share of failed statements, and how
 * rarely the pool made a statement wait for a connection.
 */
public final class MetricsSummary {

  private static final String POOL_USAGE = "vertx.pool.usage";
  private static final String POOL_QUEUE_TIME = "vertx.pool.queue.time";

  private MetricsSummary() {
  }

  public static JsonObject of(MeterRegistry registry) {
    JsonObject operations = new JsonObject();
    JsonObject averages = new JsonObject();
    JsonObject p95 = new JsonObject();
    long statements = 0;
    long failed = 0;
    for (DistributionSummary batches : registry.find(AdapterMetrics.BATCH_SIZE).summaries()) {
      operations.put(batches.getId().getTag("operation"), (long) batches.totalAmount());
    }
    for (Timer timer : registry.find(AdapterMetrics.OPERATION_DURATION).timers()) {
      String operation = timer.getId().getTag("operation");
      statements += timer.count();
      if (!"success".equals(timer.getId().getTag("outcome"))) {
        failed += timer.count();
        continue;
      }
      averages.put(operation, round(timer.mean(TimeUnit.MILLISECONDS)));
      for (ValueAtPercentile percentile : timer.takeSnapshot().percentileValues()) {
        if (percentile.percentile() == 0.95) {
          p95.put(operation, round(percentile.value(TimeUnit.MILLISECONDS)));
        }
      }
    }
    return new JsonObject()
        .put("operations_by_type", operations)
        .put("avg_execution_times", averages)
        .put("p95_execution_times", p95)
        .put("error_rate", statements == 0 ? 0.0 : round((double) failed / statements))
        .put("pool_efficiency", poolEfficiency(registry));
  }

  /** Time connections were used over time used plus time statements queued for one; null before any use. */
  private static Double poolEfficiency(MeterRegistry registry) {
    double used = registry.find(POOL_USAGE).timers().stream().mapToDouble(t -> t.totalTime(TimeUnit.MILLISECONDS)).sum();
    double queued = registry.find(POOL_QUEUE_TIME).timers().stream()
        .mapToDouble(t -> t.totalTime(TimeUnit.MILLISECONDS)).sum();
    return used + queued == 0 ? null : round(used / (used + queued));
  }

  private static double round(double value) {
    return Math.round(value * 1000.0) / 1000.0;
  }
}
