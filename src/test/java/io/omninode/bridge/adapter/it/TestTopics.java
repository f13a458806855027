package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.config.KafkaSettings;
import io.omninode.bridge.adapter.testsupport.TestEnvironment;
import io.omninode.bridge.adapter.testsupport.TestEvents;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * A test's own topics on the shared broker, for an adapter on a database that is not the shared one: the
 * default topics under a prefix, a producer, the adapter's Kafka settings, and a count of its dead letters.
 */
final class TestTopics implements AutoCloseable {

  private final String prefix;
  private final String bootstrapServers;
  private final KafkaProducer<String, String> producer;

  private TestTopics(String prefix, String bootstrapServers) {
    this.prefix = prefix;
    this.bootstrapServers = bootstrapServers;
    this.producer = new KafkaProducer<>(Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
        ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 5), new StringSerializer(), new StringSerializer());
  }

  /** The default topics under {@code prefix}, one partition each, with their leaders known. */
  static TestTopics create(String prefix) throws Exception {
    String bootstrapServers = TestEnvironment.kafkaBootstrapServers();
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers))) {
      List<String> names = KafkaSettings.defaultTopics(prefix);
      admin.createTopics(names.stream().map(name -> new NewTopic(name, 1, (short) 1)).toList()).all().get(30, TimeUnit.SECONDS);
      org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(30)).until(() ->
          admin.describeTopics(names).allTopicNames().get(30, TimeUnit.SECONDS).values().stream()
              .flatMap(description -> description.partitions().stream())
              .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty()));
    }
    return new TestTopics(prefix, bootstrapServers);
  }

  /** An adapter config reading these topics as a consumer group of its own; the database section is the test's. */
  JsonObject adapterConfig() {
    return new JsonObject()
        .put("http", new JsonObject().put("metrics_registry", prefix))
        .put("kafka", new JsonObject()
            .put("bootstrap_servers", bootstrapServers)
            .put("group_id", prefix + ".group")
            .put("topic_prefix", prefix)
            .put("auto_offset_reset", "earliest")
            .put("commit_interval_ms", 200)
            .put("client", new JsonObject().put("metadata.max.age.ms", 2000)));
  }

  /** Returns once the broker has acknowledged every event. */
  void produce(List<TestEvents.Event> events) throws Exception {
    List<Future<?>> acks = events.stream().<Future<?>>map(event ->
        producer.send(new ProducerRecord<>(event.topic(prefix), event.key(), event.envelope().encode()))).toList();
    producer.flush();
    for (Future<?> ack : acks) {
      ack.get(30, TimeUnit.SECONDS);
    }
  }

  /** Records on the dead-letter topics of these topics, from the beginning. */
  long deadLetters() {
    try (KafkaConsumer<byte[], byte[]> reader = new KafkaConsumer<>(Map.of(
        ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions = reader.listTopics().entrySet().stream()
          .filter(topic -> topic.getKey().startsWith(prefix) && topic.getKey().endsWith(".dlq"))
          .flatMap(topic -> topic.getValue().stream())
          .map(info -> new TopicPartition(info.topic(), info.partition()))
          .toList();
      Map<TopicPartition, Long> beginning = reader.beginningOffsets(partitions);
      return reader.endOffsets(partitions).entrySet().stream()
          .mapToLong(end -> end.getValue() - beginning.get(end.getKey())).sum();
    }
  }

  @Override
  public void close() {
    producer.close();
  }
}
