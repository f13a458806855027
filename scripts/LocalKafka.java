import io.omninode.bridge.adapter.config.KafkaSettings;
import io.omninode.bridge.adapter.contract.EventType;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * The local run's Kafka chores, run with the adapter's jar on the class path (Java's source launcher):
 * {@code topics <bootstrap> <prefix> <partitions>} creates the bridge topics that are missing;
 * {@code produce <bootstrap> <prefix> <envelope.json>...} publishes envelopes to their event type's topic,
 * keyed like the bridge nodes key them.
 */
public class LocalKafka {

  public static void main(String[] args) throws Exception {
    String bootstrap = args[1];
    String prefix = args[2];
    switch (args[0]) {
      case "topics" -> createTopics(bootstrap, prefix, Integer.parseInt(args[3]));
      case "produce" -> produce(bootstrap, prefix, Arrays.copyOfRange(args, 3, args.length));
      default -> throw new IllegalArgumentException("unknown command " + args[0]);
    }
  }

  private static void createTopics(String bootstrap, String prefix, int partitions) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
      Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
      List<NewTopic> missing = KafkaSettings.defaultTopics(prefix).stream()
          .filter(topic -> !existing.contains(topic))
          .map(topic -> new NewTopic(topic, partitions, (short) 1))
          .toList();
      admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
      System.out.printf("topics: %d created, %d already there%n", missing.size(), 9 - missing.size());
    }
  }

  private static void produce(String bootstrap, String prefix, String[] files) throws Exception {
    try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
        ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap, ProducerConfig.ACKS_CONFIG, "all"),
        new StringSerializer(), new StringSerializer())) {
      for (String file : files) {
        JsonObject envelope = new JsonObject(Files.readString(Path.of(file)));
        EventType type = EventType.parse(envelope.getString("event_type")).orElseThrow();
        String topic = KafkaSettings.defaultTopics(prefix).stream()
            .filter(candidate -> candidate.contains("." + type.topicSegment() + "."))
            .findFirst().orElseThrow();
        producer.send(new ProducerRecord<>(topic, keyOf(type, envelope), envelope.encode())).get(30, TimeUnit.SECONDS);
        System.out.printf("  %-28s -> %s%n", type, topic);
      }
    }
  }

  /** Workflow events by correlation id, aggregations by bridge, heartbeats by node: one order per entity. */
  private static String keyOf(EventType type, JsonObject envelope) {
    JsonObject data = envelope.getJsonObject("payload").getJsonObject(type.operation().dataField());
    return switch (type) {
      case STATE_AGGREGATION_COMPLETED -> data.getString("bridge_id");
      case NODE_HEARTBEAT -> data.getString("node_id");
      default -> envelope.getString("correlation_id");
    };
  }
}
