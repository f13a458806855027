package io.omninode.bridge.adapter.config;

import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class KafkaSettingsTest {

  private static KafkaSettings kafka(JsonObject section) {
    JsonObject config = new JsonObject().put("kafka", section.put("bootstrap_servers", "broker:9092"))
        .put("database", new JsonObject().put("database", "bridge_db").put("user", "bridge_user"));
    return AdapterSettings.from(config, Map.of()).kafka();
  }

  @Test
  @DisplayName("the consumer reads committed records only, so that an aborted redrive is never consumed")
  void consumerReadsCommittedByDefault() {
    assertThat(kafka(new JsonObject()).consumerConfig())
        .containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
  }

  @Test
  @DisplayName("kafka.client may still choose read_uncommitted")
  void clientMayOverrideTheIsolationLevel() {
    KafkaSettings settings = kafka(new JsonObject().put("client",
        new JsonObject().put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted")));

    assertThat(settings.consumerConfig()).containsEntry(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_uncommitted");
  }

  @Test
  @DisplayName("the consumer fetches 2 MiB, 256 KiB per partition, and the broker holds an empty fetch 10 ms; kafka.client may change each")
  void fetchDefaultsAndOverrides() {
    assertThat(kafka(new JsonObject()).consumerConfig())
        .containsEntry(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, 2 * 1024 * 1024)
        .containsEntry(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, 256 * 1024)
        .containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 10);
    assertThat(kafka(new JsonObject().put("client", new JsonObject().put(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100)))
        .consumerConfig()).containsEntry(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, 100);
  }

  @Test
  @DisplayName("the redrive log is <topic_prefix>.redrive.log unless named; the transactional id follows the group")
  void redriveLogAndTransactionalId() {
    KafkaSettings defaults = kafka(new JsonObject().put("topic_prefix", "prod.acme").put("group_id", "adapters"));
    KafkaSettings named = kafka(new JsonObject().put("redrive_log_topic", "ops.redrive"));

    assertThat(defaults.redriveLogTopic()).isEqualTo("prod.acme.redrive.log");
    assertThat(defaults.redriveTransactionalId()).isEqualTo("adapters.redrive");
    assertThat(named.redriveLogTopic()).isEqualTo("ops.redrive");
  }
}
