package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.contract.EventType;
import io.omninode.bridge.adapter.testsupport.AdapterProcess;
import io.omninode.bridge.adapter.testsupport.TestEvents;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.omninode.bridge.adapter.testsupport.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The records that once stopped a partition for good, each published once among the good events of a
 * normal workload, to the shipped jar with the shipped JVM settings: every good event is persisted
 * once, every bad one dead-lettered with its own error type, the group commits to the end of every
 * partition, and the process lives on.
 */
@DisplayName("Hostile records and requests, to the shipped jar: each settled with its own error, lag 0, the process alive")
class HostileRecordsIT {

  private static final Logger log = LoggerFactory.getLogger(HostileRecordsIT.class);
  private static final int TWO_MIB = 2 * 1024 * 1024;

  private AdapterFixture fixture;
  private KafkaProducer<byte[], byte[]> producer;

  /** One hostile record: where it goes, its bytes, and the error type and rule its dead letter must carry. */
  private record Hostile(String name, EventType topicOf, byte[] value, String errorType, String rule) {
  }

  @BeforeEach
  void createTopics() throws Exception {
    fixture = new AdapterFixture("hostile-records");
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrapServers))) {
      // a broker whose message.max.bytes was raised, as many are
      admin.incrementalAlterConfigs(Map.of(new ConfigResource(ConfigResource.Type.TOPIC,
          TestEvents.topic(fixture.topicPrefix, EventType.STEP_COMPLETED)), List.of(new AlterConfigOp(
          new ConfigEntry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, String.valueOf(TWO_MIB)), AlterConfigOp.OpType.SET))))
          .all().get(30, TimeUnit.SECONDS);
    }
    producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrapServers,
        ProducerConfig.MAX_REQUEST_SIZE_CONFIG, TWO_MIB, ProducerConfig.ACKS_CONFIG, "all"),
        new ByteArraySerializer(), new ByteArraySerializer());
  }

  @AfterEach
  void close() throws Exception {
    producer.close();
    fixture.close();
  }

  @Test
  @DisplayName("year 1, +18:30, year 9999, letters too large, values PostgreSQL would change, a foreign event type; made-up HTTP methods")
  void everyHostileRecordIsSettledAndThePartitionsMoveOn() throws Exception {
    List<TestEvents.Event> good = new ArrayList<>(TestEvents.mixedWorkload(3_000, 23));
    UUID exactWorkflow = UUID.randomUUID();
    TestEvents.Event beyondDouble = TestEvents.stepCompleted(exactWorkflow, "beyond-double", 1, T0);
    String beyondDoubleText = beyondDouble.envelope().encode().replace("\"bytes\":1024", "\"v\":[1e400,1.00,-0]");
    good.add(beyondDouble);
    List<Hostile> hostile = hostileRecords();
    List<ProducerRecord<byte[], byte[]>> records = new ArrayList<>();
    Random random = new Random(23);
    for (TestEvents.Event event : good) {
      String value = event == beyondDouble ? beyondDoubleText : event.envelope().encode();
      records.add(record(event.topic(fixture.topicPrefix), event.key(), value.getBytes(StandardCharsets.UTF_8)));
    }
    for (Hostile bad : hostile) {
      records.add(random.nextInt(records.size()),
          record(TestEvents.topic(fixture.topicPrefix, bad.topicOf()), bad.name(), bad.value()));
    }

    try (AdapterProcess adapter = fixture.startProcess("hostile-records")) {
      for (ProducerRecord<byte[], byte[]> record : records) {
        producer.send(record);
      }
      producer.flush();
      sendMadeUpMethods(adapter, 3_000);

      Map<String, Long> expected = Expected.rowCounts(good);
      await().atMost(Duration.ofMinutes(3)).until(fixture.snapshots::counts, expected::equals);
      Map<String, ConsumerRecord<byte[], byte[]>> letters = await().atMost(Duration.ofSeconds(60))
          .until(this::lettersByKey, found -> found.size() >= hostile.size());
      await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> assertThat(lagByPartition()).allSatisfy(
          (partition, lag) -> assertThat(lag).as("%s committed to its end", partition).isZero()));

      assertThat(letters.keySet()).as("each hostile record dead-lettered, and nothing else")
          .containsExactlyInAnyOrderElementsOf(hostile.stream().map(Hostile::name).toList());
      Map<String, JsonObject> outcomes = new LinkedHashMap<>();
      for (Hostile bad : hostile) {
        ConsumerRecord<byte[], byte[]> letter = letters.get(bad.name());
        JsonObject value = new JsonObject(new String(letter.value(), StandardCharsets.UTF_8));
        assertThat(letter.serializedValueSize()).as(bad.name()).isLessThan(1_048_576);
        assertThat(value.getString("error_type")).as(bad.name()).isEqualTo(bad.errorType());
        assertThat(value.getJsonObject("error_context").getString("rule")).as(bad.name()).isEqualTo(bad.rule());
        outcomes.put(bad.name(), new JsonObject().put("error_type", value.getString("error_type"))
            .put("field", value.getJsonObject("error_context").getString("field"))
            .put("rule", value.getJsonObject("error_context").getString("rule"))
            .put("truncated", value.getBoolean("original_message_truncated", false)));
      }
      assertThat(fixture.db.queryLong("SELECT count(*) FROM workflow_steps s JOIN workflow_executions w ON w.id = s.workflow_id"
          + " WHERE w.correlation_id = '" + exactWorkflow + "' AND s.step_data -> 'v' = '[1e400, 1.00, -0]'::jsonb"
          + " AND s.step_data -> 'v' ->> 1 = '1.00'")).as("numbers stored as their text").isEqualTo(1);
      assertThat(fixture.snapshots.counts()).isEqualTo(expected);
      assertThat(adapter.isAlive()).as("the process lives on").isTrue();
      JsonObject consumer = adapter.consumer();
      assertThat(consumer.getJsonArray("stuck_partitions")).isEmpty();
      assertThat(adapter.output()).doesNotContain("Unhandled exception", "OutOfMemoryError");
      assertThat(methodLabels(adapter)).as("3,000 made-up methods fold into one label value")
          .isSubsetOf("GET", "HEAD", "POST", "PUT", "DELETE", "OPTIONS", "PATCH", "TRACE", "CONNECT", "OTHER")
          .contains("OTHER");
      log.atInfo().addKeyValue("good_events", good.size()).addKeyValue("hostile", outcomes)
          .addKeyValue("dead_lettered", consumer.getLong("dead_lettered")).addKeyValue("rows", fixture.snapshots.counts())
          .addKeyValue("peak_rss_mb", adapter.peakRssKb() / 1024).log("Hostile records settled");
    }
  }

  /** Requests with method names no one uses, as a scanner sends them. */
  private static void sendMadeUpMethods(AdapterProcess adapter, int count) throws Exception {
    HttpClient client = HttpClient.newHttpClient();
    Random random = new Random(3);
    for (int i = 0; i < count; i++) {
      String method = "M" + Long.toString(random.nextLong() & Long.MAX_VALUE, 36).toUpperCase(java.util.Locale.ROOT);
      client.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + adapter.httpPort() + "/x" + i))
          .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.discarding());
    }
  }

  /** The values of the {@code method} label of the HTTP server's series. */
  private static java.util.Set<String> methodLabels(AdapterProcess adapter) throws Exception {
    return adapter.get("/metrics").body().lines().filter(line -> line.startsWith("vertx_http_server_"))
        .map(line -> java.util.regex.Pattern.compile("method=\"([^\"]*)\"").matcher(line))
        .filter(java.util.regex.Matcher::find).map(matcher -> matcher.group(1)).collect(Collectors.toSet());
  }

  private List<Hostile> hostileRecords() {
    byte[] notUtf8 = new byte[850_000];
    new Random(5).nextBytes(notUtf8);
    for (int i = 0; i < notUtf8.length; i++) {
      notUtf8[i] |= (byte) 0x80;
    }
    byte[] controls = new byte[200_000];
    Arrays.fill(controls, (byte) 0x01);
    return List.of(
        new Hostile("year-1", EventType.STEP_COMPLETED, step(envelope -> envelope.put("timestamp", "0001-01-01T00:00:00Z")),
            "VALIDATION_ERROR", "time_window"),
        new Hostile("offset-18-30", EventType.NODE_HEARTBEAT, heartbeat("2026-01-01T00:00:00+18:30"),
            "VALIDATION_ERROR", "timestamp"),
        new Hostile("year-9999", EventType.NODE_HEARTBEAT, heartbeat("9999-12-31T23:59:59Z"),
            "VALIDATION_ERROR", "time_window"),
        new Hostile("1.2-mb", EventType.STEP_COMPLETED, step(envelope -> envelope.getJsonObject("payload")
            .getJsonObject("workflow_step_data").put("step_data", new JsonObject().put("blob", "z".repeat(1_200_000)))),
            "VALIDATION_ERROR", "max_message_bytes"),
        new Hostile("850-kb-not-utf-8", EventType.STEP_COMPLETED, notUtf8, "INVALID_JSON", "json"),
        new Hostile("200-kb-control-characters", EventType.STEP_COMPLETED, controls, "INVALID_JSON", "json"),
        new Hostile("lone-surrogate", EventType.STEP_COMPLETED, stepData("{\"note\":\"a\\ud800b\"}"),
            "VALIDATION_ERROR", "characters"),
        new Hostile("overlong-utf-8", EventType.STEP_COMPLETED, overlongSlash(), "VALIDATION_ERROR", "unicode"),
        new Hostile("foreign-event-type", EventType.NODE_HEARTBEAT,
            TestEvents.aggregation(UUID.randomUUID(), 1, 1, T0).envelope().encode().getBytes(StandardCharsets.UTF_8),
            "VALIDATION_ERROR", "topic"));
  }

  private static byte[] step(java.util.function.Consumer<JsonObject> change) {
    JsonObject envelope = TestEvents.stepCompleted(UUID.randomUUID(), "hostile", 1, T0).envelope();
    change.accept(envelope);
    return envelope.encode().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] stepData(String stepDataJson) {
    return new String(step(envelope -> { }), StandardCharsets.UTF_8)
        .replace("{\"bytes\":1024}", stepDataJson).getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] heartbeat(String lastHeartbeat) {
    JsonObject envelope = TestEvents.heartbeat("hostile-" + UUID.randomUUID(), T0, "HEALTHY").envelope();
    envelope.getJsonObject("payload").getJsonObject("node_heartbeat_data").put("last_heartbeat", lastHeartbeat);
    return envelope.encode().getBytes(StandardCharsets.UTF_8);
  }

  /** A step whose name holds '/' as the overlong bytes C0 AF. */
  private static byte[] overlongSlash() {
    String text = new String(step(envelope -> envelope.getJsonObject("payload").getJsonObject("workflow_step_data")
        .put("step_name", "a#b")), StandardCharsets.UTF_8);
    int at = text.indexOf("a#b") + 1;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(text.substring(0, at).getBytes(StandardCharsets.UTF_8));
    out.writeBytes(new byte[] {(byte) 0xC0, (byte) 0xAF});
    out.writeBytes(text.substring(at + 1).getBytes(StandardCharsets.UTF_8));
    return out.toByteArray();
  }

  private static ProducerRecord<byte[], byte[]> record(String topic, String key, byte[] value) {
    return new ProducerRecord<>(topic, key.getBytes(StandardCharsets.UTF_8), value);
  }

  private Map<String, ConsumerRecord<byte[], byte[]>> lettersByKey() {
    return fixture.topics.deadLetters().stream().collect(Collectors.toMap(
        letter -> new String(letter.key(), StandardCharsets.UTF_8), Function.identity(), (first, second) -> second));
  }

  /** Per partition of the nine topics, the group's committed offset behind the log end. */
  private Map<TopicPartition, Long> lagByPartition() throws Exception {
    String group = fixture.config.getJsonObject("kafka").getString("group_id");
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, fixture.bootstrapServers))) {
      Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
          .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
      List<TopicPartition> partitions = admin.describeTopics(io.omninode.bridge.adapter.config.KafkaSettings
              .defaultTopics(fixture.topicPrefix)).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
          .flatMap(topic -> topic.partitions().stream().map(p -> new TopicPartition(topic.name(), p.partition())))
          .toList();
      Map<TopicPartition, Long> ends = new LinkedHashMap<>();
      admin.listOffsets(partitions.stream().collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest())))
          .all().get(30, TimeUnit.SECONDS).forEach((partition, end) -> ends.put(partition, end.offset()));
      Map<TopicPartition, Long> lag = new LinkedHashMap<>();
      ends.forEach((partition, end) -> lag.put(partition,
          end - (committed.containsKey(partition) ? committed.get(partition).offset() : 0)));
      return lag;
    }
  }
}
