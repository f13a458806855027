package io.omninode.bridge.adapter.deadletter;

import io.omninode.bridge.adapter.config.KafkaSettings;
import io.omninode.bridge.adapter.config.ResilienceSettings;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.function.BooleanSupplier;

/**
 * Writes rejected events to their dead-letter topics ({@code <topic>.dlq}) and says when the
 * broker has them: the consumer commits past a rejected event only after that acknowledgement.
 * The producer is acknowledged by every in-sync replica and idempotent ({@code KafkaSettings.producerConfig()}).
 * A letter too large for the producer is cut to fit ({@link LetterRecord}).
 */
public final class DeadLetterProducer {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterProducer.class);
  private static final long CLOSE_TIMEOUT_MS = 5_000;

  private final Vertx vertx;
  private final KafkaSettings settings;
  private final ResilienceSettings resilience;
  private final RecordLimit limit;
  private final KafkaProducer<byte[], byte[]> producer;

  public DeadLetterProducer(Vertx vertx, KafkaSettings settings, ResilienceSettings resilience,
      Producer<byte[], byte[]> producer) {
    this.vertx = vertx;
    this.settings = settings;
    this.resilience = resilience;
    this.limit = RecordLimit.of(settings.producerConfig());
    this.producer = KafkaProducer.create(vertx, producer);
    this.producer.exceptionHandler(failure -> log.warn("Dead-letter producer error: {}", failure.toString()));
  }

  /**
   * Writes the letter, retrying with backoff for as long as {@code stillWanted} says so: true once
   * the broker has it, false if it was given up (the event is then consumed again later).
   */
  public Future<Boolean> sendUntilWritten(ConsumerRecord<byte[], byte[]> original, DeadLetter letter,
      BooleanSupplier stillWanted) {
    String topic = settings.deadLetterTopic(original.topic());
    LetterRecord record = LetterRecord.of(letter, original, Instant.now(), limit);
    if (record.cut()) {
      log.atWarn().addKeyValue("topic", topic).addKeyValue("original_partition", original.partition())
          .addKeyValue("original_offset", original.offset())
          .addKeyValue("original_size_bytes", original.value() == null ? 0 : original.value().length)
          .log("Dead letter larger than the producer's limit of {} bytes, its original is cut to fit", limit.maxBytes());
    }
    return sendUntilWritten(topic, record, stillWanted, 0);
  }

  private Future<Boolean> sendUntilWritten(String topic, LetterRecord record, BooleanSupplier stillWanted, int attempt) {
    return send(topic, record).map(true).recover(failure -> {
      if (!stillWanted.getAsBoolean()) {
        return Future.succeededFuture(false);
      }
      log.atWarn().addKeyValue("topic", topic)
          .log("Dead-letter write failed, the partition holds until it succeeds: {}", failure.toString());
      Promise<Boolean> retried = Promise.promise();
      vertx.setTimer(resilience.retryDelayMs(attempt), id ->
          sendUntilWritten(topic, record, stillWanted, attempt + 1).onComplete(retried));
      return retried.future();
    });
  }

  private Future<Void> send(String topic, LetterRecord record) {
    return producer.send(KafkaProducerRecord.create(topic, record.key(), record.value()).addHeaders(record.headers()))
        .mapEmpty();
  }

  public Future<Void> close() {
    return producer.close(CLOSE_TIMEOUT_MS);
  }
}
