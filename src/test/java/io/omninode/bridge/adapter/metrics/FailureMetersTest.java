package io.omninode.bridge.adapter.metrics;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Errors by cause, dead letters per topic and lag in seconds, as Prometheus shows them")
class FailureMetersTest {

  private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final AdapterMetrics metrics = new AdapterMetrics(registry);

  @Test
  @DisplayName("a failed statement is counted by operation and SQLSTATE class")
  void statementErrorsBySqlStateClass() {
    metrics.failures().statementFailed("persist_workflow_step", "55");
    metrics.failures().statementFailed("persist_workflow_step", "55");
    metrics.failures().statementFailed("update_node_heartbeat", "none");

    assertThat(registry.scrape()).contains(
        "bridge_statement_errors_total{operation=\"persist_workflow_step\",sqlstate_class=\"55\"} 2.0",
        "bridge_statement_errors_total{operation=\"update_node_heartbeat\",sqlstate_class=\"none\"} 1.0");
  }

  @Test
  @DisplayName("dead letters show at 0 per topic and type from the start; the newest one's time appears with it")
  void deadLettersPerTopicAndTheNewestOnesTime() {
    metrics.failures().expectDeadLetters(List.of("a.dlq", "b.dlq"), List.of("VALIDATION_ERROR", "DATA_ERROR"));
    assertThat(registry.scrape())
        .contains("bridge_dead_letters_total{error_type=\"DATA_ERROR\",topic=\"b.dlq\"} 0.0")
        .doesNotContain("bridge_dead_letter_last_timestamp_seconds{");

    long before = System.currentTimeMillis();
    metrics.failures().deadLettered("a.dlq", "VALIDATION_ERROR");
    long after = System.currentTimeMillis();

    assertThat(registry.scrape()).contains(
        "bridge_dead_letters_total{error_type=\"VALIDATION_ERROR\",topic=\"a.dlq\"} 1.0",
        "bridge_dead_letters_total{error_type=\"VALIDATION_ERROR\",topic=\"b.dlq\"} 0.0");
    double newest = registry.get("bridge.dead.letter.last.timestamp").tag("topic", "a.dlq").gauge().value();
    assertThat(newest).isBetween(before / 1_000.0, after / 1_000.0);
    assertThat(registry.find("bridge.dead.letter.last.timestamp").tag("topic", "b.dlq").gauge()).isNull();
  }

  @Test
  @DisplayName("lag in seconds has a series per assigned partition, gone once the partition is not ours")
  void lagSecondsPerPartitionFollowsTheAssignment() {
    metrics.consumerLagSeconds(Map.of("dev.steps-0", 2_500L, "dev.steps-1", 0L));
    assertThat(registry.scrape()).contains(
        "bridge_consumer_lag_seconds{partition=\"0\",topic=\"dev.steps\"} 2.5",
        "bridge_consumer_lag_seconds{partition=\"1\",topic=\"dev.steps\"} 0.0");

    metrics.consumerLagSeconds(Map.of("dev.steps-1", 0L));
    assertThat(registry.scrape()).doesNotContain("bridge_consumer_lag_seconds{partition=\"0\"")
        .contains("bridge_consumer_lag_seconds{partition=\"1\",topic=\"dev.steps\"} 0.0");
  }
}
