package io.omninode.bridge.adapter.deadletter;

import io.omninode.bridge.adapter.config.KafkaSettings;
import io.omninode.bridge.adapter.config.ResilienceSettings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Writes rejected events to their dead-letter topics ({@code <topic>.dlq}) and says when the
 * broker has them: the consumer commits past a rejected event only after that acknowledgement.
 */
public final class DeadLetterProducer {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterProducer.class);
  private static final long CLOSE_TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final KafkaSettings settings;
  private final ResilienceSettings resilience;
  private final KafkaProducer<byte[], byte[]> producer;

  private DeadLetterProducer(Vertx vertx, KafkaSettings settings, ResilienceSettings resilience) {
    this.vertx = vertx;
    this.settings = settings;
    this.resilience = resilience;
    this.producer = KafkaProducer.create(vertx, new org.apache.kafka.clients.producer.KafkaProducer<>(
        settings.producerConfig(), new ByteArraySerializer(), new ByteArraySerializer()));
    producer.exceptionHandler(failure -> log.warn("Dead-letter producer error: {}", failure.toString()));
  }

  /** Connects to nothing yet: the broker may come later (see {@link DeadLetterTopics}). */
  public static DeadLetterProducer create(Vertx vertx, KafkaSettings settings, ResilienceSettings resilience) {
    return new DeadLetterProducer(vertx, settings, resilience);
  }

  /**
   * Writes the letter, retrying with backoff for as long as {@code stillWanted} says so: true once
   * the broker has it, false if it was given up (the event is then consumed again later).
   */
  public Future<Boolean> sendUntilWritten(ConsumerRecord<byte[], byte[]> original, DeadLetter letter,
      BooleanSupplier stillWanted) {
    return sendUntilWritten(original, letter, stillWanted, 0);
  }

  private Future<Boolean> sendUntilWritten(ConsumerRecord<byte[], byte[]> original, DeadLetter letter,
      BooleanSupplier stillWanted, int attempt) {
    return send(original, letter).map(true).recover(failure -> {
      if (!stillWanted.getAsBoolean()) {
        return Future.succeededFuture(false);
      }
      log.atWarn().addKeyValue("topic", settings.deadLetterTopic(original.topic()))
          .log("Dead-letter write failed, the partition holds until it succeeds: {}", failure.toString());
      Promise<Boolean> retried = Promise.promise();
      vertx.setTimer(resilience.retryDelayMs(attempt), id ->
          sendUntilWritten(original, letter, stillWanted, attempt + 1).onComplete(retried));
      return retried.future();
    });
  }

  private Future<Void> send(ConsumerRecord<byte[], byte[]> original, DeadLetter letter) {
    byte[] value = letter.toJson(original, Instant.now()).encode().getBytes(StandardCharsets.UTF_8);
    return producer.send(KafkaProducerRecord.create(settings.deadLetterTopic(original.topic()), original.key(), value)
            .addHeaders(letter.headers(original)))
        .mapEmpty();
  }

  public Future<Void> close() {
    return producer.close(CLOSE_TIMEOUT_MS);
  }
}
