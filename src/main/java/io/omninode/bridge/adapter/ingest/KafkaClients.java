package io.omninode.bridge.adapter.ingest;

import io.omninode.bridge.adapter.config.KafkaSettings;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Where the consumer verticle's Kafka clients come from: the configured broker in production,
 * Kafka's {@code MockConsumer} and {@code MockProducer} in unit tests.
 */
public interface KafkaClients {

  Consumer<byte[], byte[]> consumer();

  Producer<byte[], byte[]> producer();

  /** Creates those of {@code topics} that do not exist yet. Blocking: run it off the event loop. */
  void createMissingTopics(Collection<String> topics) throws Exception;

  /** The clients of the configured broker. */
  static KafkaClients of(KafkaSettings settings) {
    return new KafkaClients() {
      @Override
      public Consumer<byte[], byte[]> consumer() {
        return new KafkaConsumer<>(settings.consumerConfig(), new ByteArrayDeserializer(), new ByteArrayDeserializer());
      }

      @Override
      public Producer<byte[], byte[]> producer() {
        return new KafkaProducer<>(settings.producerConfig(), new ByteArraySerializer(), new ByteArraySerializer());
      }

      @Override
      public void createMissingTopics(Collection<String> topics) throws Exception {
        try (Admin admin = Admin.create(settings.clientConfig())) {
          Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
          List<NewTopic> missing = topics.stream().filter(topic -> !existing.contains(topic))
              .map(topic -> new NewTopic(topic, Optional.of(settings.deadLetterPartitions()), Optional.empty()))
              .toList();
          if (!missing.isEmpty()) {
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
          }
        }
      }
    };
  }
}
