package io.omninode.bridge.adapter.ingest;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.omninode.bridge.adapter.metrics.AdapterMetrics;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The lag read on the poll thread reaches bridge_consumer_lag_records and the stats at the next sample")
class LagSamplerTest {

  private static final String TOPIC = "dev.omninode-bridge.orchestrator.step-completed.v1";
  private static final TopicPartition P0 = new TopicPartition(TOPIC, 0);
  private static final TopicPartition P1 = new TopicPartition(TOPIC, 1);

  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private final LagSampler sampler = new LagSampler(new AdapterMetrics(registry));
  private final MockConsumer<byte[], byte[]> kafka = new MockConsumer<>(OffsetResetStrategy.EARLIEST);

  private JsonObject stats() {
    JsonObject stats = new JsonObject();
    sampler.addTo(stats);
    return stats;
  }

  private double gauge(TopicPartition partition) {
    Gauge gauge = registry.find("bridge.consumer.lag").tag("topic", partition.topic())
        .tag("partition", Integer.toString(partition.partition())).gauge();
    return gauge == null ? Double.NaN : gauge.value();
  }

  @Test
  @DisplayName("records behind the log end of each assigned partition, as read, once sampled; not before")
  void lagReadIsPublishedAtTheNextSample() {
    kafka.assign(List.of(P0, P1));
    kafka.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
    kafka.updateEndOffsets(Map.of(P0, 7L, P1, 3L));
    kafka.seekToBeginning(List.of(P0, P1));

    sampler.read(kafka);
    assertThat(stats().getJsonObject("lag")).as("read, not sampled yet").isEqualTo(new JsonObject());
    assertThat(gauge(P0)).isNaN();

    sampler.sample();
    assertThat(stats().getJsonObject("lag")).isEqualTo(new JsonObject().put(P0.toString(), 7L).put(P1.toString(), 3L));
    assertThat(stats().getLong("lag_total")).isEqualTo(10);
    assertThat(stats().getBoolean("lag_growing")).as("one sample is no trend").isFalse();
    assertThat(gauge(P0)).isEqualTo(7.0);
    assertThat(gauge(P1)).isEqualTo(3.0);
  }
}
