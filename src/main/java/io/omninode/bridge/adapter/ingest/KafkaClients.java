package io.omninode.bridge.adapter.ingest;

import io.omninode.bridge.adapter.config.KafkaSettings;
import io.omninode.bridge.adapter.config.ResilienceSettings;
import io.omninode.bridge.adapter.deadletter.DeadLetterTopics;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.function.Supplier;

/**
 * Where the consumer verticle's Kafka clients come from: the configured broker in production,
 * Kafka's {@code MockConsumer} and {@code MockProducer} in unit tests.
 */
public interface KafkaClients {

  Consumer<byte[], byte[]> consumer();

  Producer<byte[], byte[]> producer();

  /**
   * Starts creating the missing dead-letter topics, in the background, until the broker answers;
   * returns how to give that up (on stop).
   */
  Supplier<Future<Void>> ensureDeadLetterTopics(Vertx vertx, KafkaSettings settings, ResilienceSettings resilience);

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
      public Supplier<Future<Void>> ensureDeadLetterTopics(Vertx vertx, KafkaSettings settings,
          ResilienceSettings resilience) {
        return DeadLetterTopics.ensure(vertx, settings, resilience)::stop;
      }
    };
  }
}
