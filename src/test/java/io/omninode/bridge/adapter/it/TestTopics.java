package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.config.KafkaSettings;
import io.omninode.bridge.adapter.contract.EventType;
import io.omninode.bridge.adapter.testsupport.TestEnvironment;
import io.omninode.bridge.adapter.testsupport.TestEvents;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.awaitility.Awaitility;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A test's own topics on a broker: the default topics under a prefix, created with their leaders
 * known, a producer, and readers of what is on them (the dead letters, the committed records).
 */
final class TestTopics implements AutoCloseable {

  final String prefix;
  final String bootstrapServers;
  /** Partitions of each topic. */
  final int partitions;
  private final KafkaProducer<String, String> producer;

  private TestTopics(String prefix, String bootstrapServers, int partitions) {
    this.prefix = prefix;
    this.bootstrapServers = bootstrapServers;
    this.partitions = partitions;
    this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new StringSerializer());
  }

  /** The default topics under {@code prefix} on the shared broker, one partition each, with their leaders known. */
  static TestTopics create(String prefix) throws Exception {
    TestTopics topics = new TestTopics(prefix, TestEnvironment.kafkaBootstrapServers(), 1);
    topics.create();
    return topics;
  }

  /** Topics on {@code bootstrapServers} not created yet (the broker may not be up): {@link #create()} them. */
  static TestTopics notCreated(String prefix, String bootstrapServers, int partitions) {
    return new TestTopics(prefix, bootstrapServers, partitions);
  }

  /** Creates the default topics under the prefix and waits until their leaders are known. */
  void create() throws Exception {
    try (Admin admin = admin()) {
      List<String> names = KafkaSettings.defaultTopics(prefix);
      admin.createTopics(names.stream().map(name -> new NewTopic(name, partitions, (short) 1)).toList())
          .all().get(30, TimeUnit.SECONDS);
      awaitLeaders(admin, names);
    }
  }

  /** An adapter config reading these topics as a consumer group of its own; the database section is the test's. */
  JsonObject adapterConfig() {
    return new JsonObject()
        .put("http", new JsonObject().put("metrics_registry", prefix))
        .put("kafka", kafkaConfig(prefix + ".group"));
  }

  /** The adapter's kafka section for these topics, read by {@code groupId}. */
  JsonObject kafkaConfig(String groupId) {
    return new JsonObject()
        .put("bootstrap_servers", bootstrapServers)
        .put("group_id", groupId)
        .put("topic_prefix", prefix)
        .put("auto_offset_reset", "earliest")
        .put("commit_interval_ms", 200)
        .put("client", new JsonObject().put("metadata.max.age.ms", 2000));
  }

  /** Produces every event and returns once the broker has acknowledged all of them. */
  void produce(List<TestEvents.Event> events) throws Exception {
    produceRecords(events.stream().map(this::record).toList());
  }

  ProducerRecord<String, String> record(TestEvents.Event event) {
    return new ProducerRecord<>(event.topic(prefix), event.key(), event.envelope().encode());
  }

  /** Produces records as they are (any topic, key, value) and returns where each one landed. */
  List<RecordMetadata> produceRecords(List<ProducerRecord<String, String>> records) throws Exception {
    List<Future<RecordMetadata>> acks = records.stream().map(producer::send).toList();
    producer.flush();
    List<RecordMetadata> landed = new ArrayList<>(acks.size());
    for (Future<RecordMetadata> ack : acks) {
      landed.add(ack.get(30, TimeUnit.SECONDS));
    }
    return landed;
  }

  void produceRaw(EventType topicOf, String key, String value) throws Exception {
    produceRawToTopic(TestEvents.topic(prefix, topicOf), key, value);
  }

  void produceRawToTopic(String topic, String key, String value) throws Exception {
    producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
  }

  /** Every record on these topics' dead-letter topics so far, read from the beginning. */
  List<ConsumerRecord<byte[], byte[]>> deadLetters() {
    return records(this::isDeadLetterTopic, "read_uncommitted");
  }

  /** How many records the dead-letter topics hold, without reading them. */
  long deadLetterCount() {
    try (KafkaConsumer<byte[], byte[]> reader = reader("read_uncommitted")) {
      List<TopicPartition> partitions = partitionsOf(reader, this::isDeadLetterTopic);
      Map<TopicPartition, Long> beginning = reader.beginningOffsets(partitions);
      return reader.endOffsets(partitions).entrySet().stream()
          .mapToLong(end -> end.getValue() - beginning.get(end.getKey())).sum();
    }
  }

  /** Every committed record of {@code topic} so far (none while it does not exist): what the adapter consumes. */
  List<ConsumerRecord<byte[], byte[]>> committedRecords(String topic) {
    return records(topic::equals, "read_committed");
  }

  /** Every record of the topics that {@code topics} accepts, read at {@code isolation} (read_committed or read_uncommitted). */
  List<ConsumerRecord<byte[], byte[]>> records(Predicate<String> topics, String isolation) {
    try (KafkaConsumer<byte[], byte[]> reader = reader(isolation)) {
      List<TopicPartition> partitions = partitionsOf(reader, topics);
      reader.assign(partitions);
      reader.seekToBeginning(partitions);
      Map<TopicPartition, Long> end = reader.endOffsets(partitions);
      List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
      while (partitions.stream().anyMatch(partition -> reader.position(partition) < end.get(partition))) {
        reader.poll(Duration.ofMillis(500)).forEach(records::add);
      }
      return records;
    }
  }

  /**
   * Waits until the adapter has created its dead-letter topics and their leaders are known: a test that
   * dead-letters many events at once does not race their creation.
   */
  void awaitDeadLetterTopics() throws Exception {
    try (Admin admin = admin()) {
      List<String> topics = KafkaSettings.defaultTopics(prefix).stream().map(topic -> topic + ".dlq").toList();
      Awaitility.await().atMost(Duration.ofSeconds(30))
          .until(() -> admin.listTopics().names().get(30, TimeUnit.SECONDS).containsAll(topics));
      awaitLeaders(admin, topics);
    }
  }

  private boolean isDeadLetterTopic(String topic) {
    return topic.startsWith(prefix) && topic.endsWith(".dlq");
  }

  private Admin admin() {
    return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers));
  }

  private KafkaConsumer<byte[], byte[]> reader(String isolation) {
    return new KafkaConsumer<>(Map.of(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation), new ByteArrayDeserializer(), new ByteArrayDeserializer());
  }

  private static List<TopicPartition> partitionsOf(KafkaConsumer<byte[], byte[]> reader, Predicate<String> topics) {
    return reader.listTopics().entrySet().stream()
        .filter(topic -> topics.test(topic.getKey()))
        .flatMap(topic -> topic.getValue().stream())
        .map(info -> new TopicPartition(info.topic(), info.partition()))
        .toList();
  }

  /** A just-created partition refuses writes until its leader is known; producing earlier only causes retries. */
  private static void awaitLeaders(Admin admin, List<String> topics) {
    Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
        admin.describeTopics(topics).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
            .flatMap(description -> description.partitions().stream())
            .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty()));
  }

  @Override
  public void close() {
    producer.close();
  }
}
