package io.omninode.bridge.adapter.it;

import io.micrometer.core.instrument.Counter;
import io.omninode.bridge.adapter.contract.EventType;
import io.omninode.bridge.adapter.deadletter.DeadLetter;
import io.omninode.bridge.adapter.testsupport.TestEvents;
import io.vertx.core.json.JsonObject;
import io.vertx.micrometer.backends.BackendRegistries;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import static io.omninode.bridge.adapter.testsupport.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Records whose dead letters do not fit as they are, on the real broker: the partition never holds. */
@DisplayName("A dead letter always fits")
class OversizedDeadLetterIT {

  private static final int TWO_MIB = 2 * 1024 * 1024;
  /** A dead-letter topic that takes less than the producer's max.request.size. */
  private static final int SMALL_TOPIC_BYTES = 64 * 1024;

  private AdapterFixture adapter;
  private KafkaProducer<byte[], byte[]> bigProducer;
  private String stepTopic;
  private String heartbeatTopic;

  @BeforeEach
  void startAdapter() throws Exception {
    adapter = new AdapterFixture("oversized", 1);
    stepTopic = TestEvents.topic(adapter.topicPrefix, EventType.STEP_COMPLETED);
    heartbeatTopic = TestEvents.topic(adapter.topicPrefix, EventType.NODE_HEARTBEAT);
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, adapter.bootstrapServers))) {
      // a broker whose message.max.bytes was raised for this topic, as many are
      admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC, stepTopic), List.of(
          new AlterConfigOp(new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(TWO_MIB)),
              AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
      admin.createTopics(List.of(new NewTopic(heartbeatTopic + ".dlq", 1, (short) 1)
              .configs(Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(SMALL_TOPIC_BYTES)))))
          .all().get(30, TimeUnit.SECONDS);
    }
    bigProducer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, adapter.bootstrapServers,
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TWO_MIB), new ByteArraySerializer(), new ByteArraySerializer());
    adapter.start();
  }

  @AfterEach
  void stopAdapter() throws Exception {
    bigProducer.close();
    adapter.close();
  }

  private void produce(String topic, String key, byte[] value) throws Exception {
    bigProducer.send(new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value)).get(30, TimeUnit.SECONDS);
  }

  private ConsumerRecord<byte[], byte[]> deadLetterOf(String topic) {
    return await().atMost(Duration.ofSeconds(60)).until(() -> adapter.topics.records((topic + ".dlq")::equals,
        "read_uncommitted"), letters -> !letters.isEmpty()).get(0);
  }

  private static JsonObject value(ConsumerRecord<byte[], byte[]> letter) {
    return new JsonObject(new String(letter.value(), StandardCharsets.UTF_8));
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  private double writeFailures(String reason) {
    Counter counter = BackendRegistries.getNow(adapter.topicPrefix).find("bridge.dead.letter.write.failures")
        .tags("reason", reason).counter();
    return counter == null ? 0 : counter.count();
  }

  @Test
  @DisplayName("a 1.2 MB record: its letter is cut under max.request.size, and the next event on its partition is written")
  void recordLargerThanMaxRequestSize() throws Exception {
    UUID workflow = UUID.randomUUID();
    byte[] huge = ("{\"blob\": \"" + "z".repeat(1_200_000) + "\"}").getBytes(StandardCharsets.UTF_8);
    produce(stepTopic, "huge", huge);
    adapter.topics.produce(List.of(TestEvents.workflowStarted(workflow, T0), TestEvents.stepCompleted(workflow, "after", 1, T0)));

    ConsumerRecord<byte[], byte[]> letter = deadLetterOf(stepTopic);
    JsonObject json = value(letter);
    await().atMost(Duration.ofSeconds(60)).until(() -> adapter.db.count("workflow_steps") == 1);

    assertThat(letter.serializedValueSize()).isLessThan(1_048_576);
    assertThat(json.getString("error_type")).isEqualTo("VALIDATION_ERROR");
    assertThat(json.getBoolean("original_message_truncated")).isTrue();
    assertThat(json.getLong("original_size_bytes")).isEqualTo(huge.length);
    assertThat(json.getString("original_sha256")).isEqualTo(sha256(huge));
    assertThat(new String(huge, StandardCharsets.UTF_8)).startsWith(json.getString("original_message"));
    assertThat(new String(letter.headers().lastHeader(DeadLetter.HEADER_ORIGINAL_TRUNCATED).value(),
        StandardCharsets.UTF_8)).isEqualTo("true");
    assertThat(new String(letter.key(), StandardCharsets.UTF_8)).isEqualTo("huge");
    assertThat(writeFailures("RecordTooLargeException")).as("nothing refused: it was cut before").isZero();
  }

  @Test
  @DisplayName("a dead-letter topic whose max.message.bytes is below the letter: the fallback letter is written, counted")
  void topicRefusesTheLetter() throws Exception {
    byte[] notJson = "x".repeat(200_000).getBytes(StandardCharsets.UTF_8);
    produce(heartbeatTopic, "node-1", notJson);
    adapter.topics.produce(List.of(TestEvents.heartbeat("node-2", T0, "HEALTHY")));

    ConsumerRecord<byte[], byte[]> letter = deadLetterOf(heartbeatTopic);
    JsonObject json = value(letter);
    await().atMost(Duration.ofSeconds(60)).until(() -> adapter.db.count("node_registrations") == 1);

    assertThat(json.getString("error_type")).isEqualTo("INVALID_JSON");
    assertThat(json.getString("original_message")).hasSize(1024);
    assertThat(json.getLong("original_size_bytes")).isEqualTo(notJson.length);
    assertThat(json.getString("original_sha256")).isEqualTo(sha256(notJson));
    assertThat(letter.serializedValueSize()).isLessThan(SMALL_TOPIC_BYTES);
    assertThat(writeFailures("RecordTooLargeException")).isEqualTo(1);
  }
}
