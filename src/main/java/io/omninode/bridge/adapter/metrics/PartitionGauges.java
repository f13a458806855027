package io.omninode.bridge.adapter.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;

import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;

/**
 * The gauges with one series per assigned partition, labelled {@code topic} and {@code partition}:
 * each sample replaces them all, so a partition that is no longer ours loses its series.
 */
final class PartitionGauges {

  private final MultiGauge lagRecords;
  private final MultiGauge lagSeconds;
  private final MultiGauge oldestUncommitted;

  PartitionGauges(MeterRegistry registry) {
    lagRecords = MultiGauge.builder("bridge.consumer.lag").baseUnit("records")
        .description("records behind the end of each assigned partition").register(registry);
    lagSeconds = MultiGauge.builder("bridge.consumer.lag.seconds").baseUnit("seconds")
        .description("age of the oldest record of each assigned partition not yet durable, 0 when caught up")
        .register(registry);
    oldestUncommitted = MultiGauge.builder("bridge.consumer.oldest.uncommitted").baseUnit("seconds")
        .description("age of the oldest record each assigned partition cannot commit past yet").register(registry);
  }

  void lagRecords(Map<String, Long> byTopicPartition) {
    lagRecords.register(rows(byTopicPartition, records -> (double) records), true);
  }

  void lagSeconds(Map<String, Long> msByTopicPartition) {
    lagSeconds.register(rows(msByTopicPartition, ms -> ms / 1_000.0), true);
  }

  void oldestUncommitted(Map<String, Long> msByTopicPartition) {
    oldestUncommitted.register(rows(msByTopicPartition, ms -> ms / 1_000.0), true);
  }

  /** One row per {@code topic-partition}, labelled by topic and partition. */
  private static List<MultiGauge.Row<?>> rows(Map<String, Long> byTopicPartition, LongFunction<Double> value) {
    return byTopicPartition.entrySet().stream().<MultiGauge.Row<?>>map(entry -> {
      int dash = entry.getKey().lastIndexOf('-');
      return MultiGauge.Row.of(Tags.of("topic", entry.getKey().substring(0, dash),
          "partition", entry.getKey().substring(dash + 1)), value.apply(entry.getValue()));
    }).toList();
  }
}
