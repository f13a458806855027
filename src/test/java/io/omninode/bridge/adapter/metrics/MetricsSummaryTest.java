package io.omninode.bridge.adapter.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsSummaryTest {

  @Test
  @DisplayName("the summary counts events per operation, averages successful statements and rates failed ones")
  void summaryFromStatements() {
    AdapterMetrics metrics = new AdapterMetrics(new SimpleMeterRegistry());
    metrics.operation("persist_workflow_step", "success", TimeUnit.MILLISECONDS.toNanos(4), 100);
    metrics.operation("persist_workflow_step", "success", TimeUnit.MILLISECONDS.toNanos(8), 50);
    metrics.operation("persist_workflow_step", "database_unavailable", TimeUnit.MILLISECONDS.toNanos(1), 10);
    metrics.operation("update_node_heartbeat", "success", TimeUnit.MILLISECONDS.toNanos(2), 5);

    JsonObject summary = MetricsSummary.of(metrics.registry());

    assertThat(summary.getJsonObject("operations_by_type"))
        .isEqualTo(new JsonObject().put("persist_workflow_step", 160L).put("update_node_heartbeat", 5L));
    assertThat(summary.getJsonObject("avg_execution_times").getDouble("persist_workflow_step")).isEqualTo(6.0);
    assertThat(summary.getDouble("error_rate")).isEqualTo(0.25);
    assertThat(summary.getValue("pool_efficiency")).as("no pool metrics without Vert.x").isNull();
  }

  @Test
  @DisplayName("statements are classed FAST under 10 ms, SLOW under 100 ms, VERY_SLOW beyond")
  void performanceCategories() {
    assertThat(PerformanceCategory.of(9)).isEqualTo(PerformanceCategory.FAST);
    assertThat(PerformanceCategory.of(10)).isEqualTo(PerformanceCategory.SLOW);
    assertThat(PerformanceCategory.of(99)).isEqualTo(PerformanceCategory.SLOW);
    assertThat(PerformanceCategory.of(100)).isEqualTo(PerformanceCategory.VERY_SLOW);
  }
}
