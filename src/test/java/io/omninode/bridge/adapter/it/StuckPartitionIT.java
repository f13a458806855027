package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.contract.EventType;
import io.omninode.bridge.adapter.testsupport.AdapterProcess;
import io.omninode.bridge.adapter.testsupport.TestEvents;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.omninode.bridge.adapter.testsupport.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A partition held by one record (its dead-letter topic refuses even the fallback letter) shows
 * before anyone asks: {@code /health} names it and the gauge counts its age; once the topic takes
 * the letter, the partition commits and the adapter is healthy again.
 */
@DisplayName("A partition held by one record is visible, and recovers")
class StuckPartitionIT {

  private AdapterFixture fixture;

  @AfterEach
  void close() throws Exception {
    fixture.close();
  }

  @Test
  @DisplayName("/health DEGRADED naming the partition, its age in /metrics; healthy once the letter is written")
  void heldPartitionIsNamedAndRecovers() throws Exception {
    fixture = new AdapterFixture("stuck", 1);
    String heartbeats = TestEvents.topic(fixture.topicPrefix, EventType.NODE_HEARTBEAT);
    ConfigResource deadLetters = new ConfigResource(ConfigResource.Type.TOPIC, heartbeats + ".dlq");
    try (Admin admin = admin()) {
      admin.createTopics(List.of(new NewTopic(deadLetters.name(), 1, (short) 1)
          .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "256")))).all().get(30, TimeUnit.SECONDS);
    }
    fixture.config.getJsonObject("kafka").put("stuck_partition_ms", 2_000);
    fixture.config.put("resilience", new JsonObject().put("retry_max_ms", 500));

    try (AdapterProcess adapter = fixture.startProcess("stuck")) {
      fixture.topics.produceRaw(EventType.NODE_HEARTBEAT, "node-1", "not json");
      fixture.topics.produce(List.of(TestEvents.heartbeat("node-2", T0, "HEALTHY")));
      String partition = heartbeats + "-0";

      JsonObject consumer = await().atMost(Duration.ofSeconds(60)).until(() -> health(adapter),
          health -> health.getJsonObject("checks").getJsonObject("kafka_consumer").getJsonArray("stuck_partitions")
              .contains(partition)).getJsonObject("checks").getJsonObject("kafka_consumer");
      assertThat(consumer.getString("status")).isEqualTo("DEGRADED");
      assertThat(consumer.getJsonObject("oldest_uncommitted_ms").getLong(partition)).isGreaterThan(2_000);
      assertThat(oldestUncommittedSeconds(adapter, heartbeats)).isGreaterThan(2.0);
      await().atMost(Duration.ofSeconds(30)).until(() -> fixture.db.count("node_registrations") == 1);
      assertThat(committed(heartbeats)).as("the event behind it is written, but nothing is committed past the held one")
          .isZero();

      try (Admin admin = admin()) {
        admin.incrementalAlterConfigs(Map.of(deadLetters, List.of(new AlterConfigOp(
            new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "1048588"), AlterConfigOp.OpType.SET))))
            .all().get(30, TimeUnit.SECONDS);
      }
      await().atMost(Duration.ofSeconds(60)).until(() -> committed(heartbeats) == 2);
      await().atMost(Duration.ofSeconds(30)).until(() -> health(adapter).getJsonObject("checks")
          .getJsonObject("kafka_consumer").getJsonArray("stuck_partitions").isEmpty());
      assertThat(fixture.topics.deadLetters()).hasSize(1);
    }
  }

  private Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrapServers));
  }

  /** The group's committed offset of the topic's one partition, 0 when it has none. */
  private long committed(String topic) throws Exception {
    try (Admin admin = admin()) {
      OffsetAndMetadata offset = admin.listConsumerGroupOffsets(fixture.config.getJsonObject("kafka").getString("group_id"))
          .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS).get(new TopicPartition(topic, 0));
      return offset == null ? 0 : offset.offset();
    }
  }

  private static JsonObject health(AdapterProcess adapter) throws Exception {
    return new JsonObject(adapter.get("/health").body());
  }

  private static double oldestUncommittedSeconds(AdapterProcess adapter, String topic) throws Exception {
    return adapter.get("/metrics").body().lines()
        .filter(line -> line.startsWith("bridge_consumer_oldest_uncommitted_seconds{") && line.contains(topic))
        .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
        .max().orElse(0);
  }
}
