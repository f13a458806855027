package io.omninode.bridge.adapter.deadletter;

import io.omninode.bridge.adapter.config.AdapterSettings;
import io.omninode.bridge.adapter.config.KafkaSettings;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The dead-letter producer's limit comes from its own settings")
class RecordLimitTest {

  private static KafkaSettings kafka(JsonObject client) {
    JsonObject config = new JsonObject()
        .put("kafka", new JsonObject().put("bootstrap_servers", "broker:9092").put("client", client))
        .put("database", new JsonObject().put("database", "bridge_db").put("user", "bridge_user"));
    return AdapterSettings.from(config, Map.of()).kafka();
  }

  @Test
  @DisplayName("without max.request.size in kafka.client, the client's default of 1 MiB")
  void clientDefault() {
    assertThat(RecordLimit.of(kafka(new JsonObject()).producerConfig()).maxBytes()).isEqualTo(1_048_576);
  }

  @Test
  @DisplayName("max.request.size from kafka.client, as a number or as text")
  void fromKafkaClient() {
    assertThat(RecordLimit.of(kafka(new JsonObject().put("max.request.size", 2_097_152)).producerConfig()).maxBytes())
        .isEqualTo(2_097_152);
    assertThat(RecordLimit.of(kafka(new JsonObject().put("max.request.size", "3000000")).producerConfig()).maxBytes())
        .isEqualTo(3_000_000);
  }

  @Test
  @DisplayName("buffer.memory when it is smaller: the producer refuses a record larger than either")
  void bufferMemoryWhenSmaller() {
    assertThat(RecordLimit.of(kafka(new JsonObject().put("buffer.memory", 500_000)).producerConfig()).maxBytes())
        .isEqualTo(500_000);
  }
}
