package io.omninode.bridge.adapter.metrics;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class AdapterMetricsTest {

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final AdapterMetrics metrics = new AdapterMetrics(registry);

  @Test
  @DisplayName("an event time from year 1 (Go's zero time) is counted with the largest latency, never an overflow")
  void latencyFromYearOneIsClampedNotThrown() {
    long yearOne = OffsetDateTime.of(1, 1, 1, 0, 0, 0, 0, ZoneOffset.UTC).toInstant().toEpochMilli();
    long nowMs = System.currentTimeMillis();

    metrics.forEventType("NODE_HEARTBEAT").persisted(nowMs - yearOne);
    metrics.forEventType("NODE_HEARTBEAT").persisted(nowMs - Long.MIN_VALUE / 2);

    var latency = registry.find("bridge.event.latency").tag("event_type", "NODE_HEARTBEAT").timer();
    assertThat(latency.count()).isEqualTo(2);
    assertThat(latency.max(TimeUnit.DAYS)).isBetween(36_000.0, 36_600.0);
    assertThat(registry.find("bridge.events.processed").tag("event_type", "NODE_HEARTBEAT").counter().count())
        .isEqualTo(2);
  }

  @Test
  @DisplayName("an event time in the future counts as no latency at all")
  void futureEventTimeIsZeroLatency() {
    metrics.forEventType("STEP_COMPLETED").persisted(-60_000);

    var latency = registry.find("bridge.event.latency").tag("event_type", "STEP_COMPLETED").timer();
    assertThat(latency.count()).isEqualTo(1);
    assertThat(latency.totalTime(TimeUnit.MILLISECONDS)).isZero();
  }
}
