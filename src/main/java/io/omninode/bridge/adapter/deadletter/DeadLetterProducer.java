package io.omninode.bridge.adapter.deadletter;

import io.omninode.bridge.adapter.config.KafkaSettings;
import io.omninode.bridge.adapter.config.ResilienceSettings;
import io.omninode.bridge.adapter.contract.ErrorType;
import io.omninode.bridge.adapter.metrics.AdapterMetrics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.producer.KafkaProducer;
import io.vertx.kafka.client.producer.KafkaProducerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.ClusterAuthorizationException;
import org.apache.kafka.common.errors.InvalidTimestampException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.UnknownServerException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes rejected events to their dead-letter topics ({@code <topic>.dlq}) and says when the
 * broker has them: the consumer commits past a rejected event only after that acknowledgement.
 * The producer is acknowledged by every in-sync replica and idempotent ({@code KafkaSettings.producerConfig()}).
 * A letter too large for the producer is cut to fit ({@link LetterRecord}); a letter the producer or
 * broker refuses for good is replaced by a small fallback letter instead of being retried forever.
 */
public final class DeadLetterProducer {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterProducer.class);
  private static final long CLOSE_TIMEOUT_MS = 5_000;
  /** A refused fallback is retried until it is written: its ERROR line on the first attempt and every so many. */
  static final int FALLBACK_LOG_EVERY = 10;
  /** The {@code reason} label: the refusals one can expect, all others as {@code other}. */
  private static final Set<String> REASONS = Stream.of(RecordTooLargeException.class,
          RecordBatchTooLargeException.class, InvalidRecordException.class, InvalidTimestampException.class,
          InvalidTopicException.class, TopicAuthorizationException.class, ClusterAuthorizationException.class,
          UnknownServerException.class)
      .map(Class::getSimpleName).collect(Collectors.toUnmodifiableSet());

  private final Vertx vertx;
  private final KafkaSettings settings;
  private final ResilienceSettings resilience;
  private final AdapterMetrics metrics;
  private final RecordLimit limit;
  private final KafkaProducer<byte[], byte[]> producer;

  public DeadLetterProducer(Vertx vertx, KafkaSettings settings, ResilienceSettings resilience,
      Producer<byte[], byte[]> producer, AdapterMetrics metrics) {
    this.vertx = vertx;
    this.settings = settings;
    this.resilience = resilience;
    this.metrics = metrics;
    this.limit = RecordLimit.of(settings.producerConfig());
    this.producer = KafkaProducer.create(vertx, producer);
    // every failed write is reported where it is retried or replaced, at the level it deserves
    this.producer.exceptionHandler(failure -> log.debug("Dead-letter producer error: {}", failure.toString()));
    metrics.failures().expectDeadLetters(settings.topics().stream().map(settings::deadLetterTopic).toList(),
        Stream.of(ErrorType.values()).filter(type -> !type.isTransient()).map(ErrorType::name).toList());
  }

  /**
   * Writes the letter, retrying with backoff for as long as {@code stillWanted} says so: true once
   * the broker has it, false if it was given up (the event is then consumed again later).
   */
  public Future<Boolean> sendUntilWritten(ConsumerRecord<byte[], byte[]> original, DeadLetter letter,
      BooleanSupplier stillWanted) {
    Instant failedAt = Instant.now();
    Writing writing = new Writing(settings.deadLetterTopic(original.topic()), stillWanted,
        () -> LetterRecord.fallback(letter, original, failedAt, limit));
    LetterRecord record = LetterRecord.of(letter, original, failedAt, limit);
    if (record.cut()) {
      log.atWarn().addKeyValue("topic", writing.topic).addKeyValue("original_partition", original.partition())
          .addKeyValue("original_offset", original.offset())
          .addKeyValue("original_size_bytes", original.value() == null ? 0 : original.value().length)
          .log("Dead letter larger than the producer's limit of {} bytes, its original is cut to fit", limit.maxBytes());
    }
    return sendUntilWritten(writing, record, false, 0).andThen(done -> {
      if (done.succeeded() && done.result()) {
        metrics.failures().deadLettered(writing.topic, letter.errorType().name());
      }
    });
  }

  private Future<Boolean> sendUntilWritten(Writing writing, LetterRecord record, boolean fallback, int attempt) {
    return send(writing.topic, record).map(true).recover(failure -> {
      if (!writing.stillWanted.getAsBoolean()) {
        return Future.succeededFuture(false);
      }
      if (failure instanceof RetriableException) {
        log.atWarn().addKeyValue("topic", writing.topic)
            .log("Dead-letter write failed, the partition holds until it succeeds: {}", failure.toString());
        return later(writing, record, fallback, attempt);
      }
      return refused(writing, record, fallback, attempt, failure);
    });
  }

  /** Refused for good: a letter gives way to its fallback at once; a refused fallback is retried, the partition held. */
  private Future<Boolean> refused(Writing writing, LetterRecord record, boolean fallback, int attempt,
      Throwable failure) {
    String reason = REASONS.contains(failure.getClass().getSimpleName()) ? failure.getClass().getSimpleName() : "other";
    metrics.deadLetterWriteFailed(reason, fallback ? "fallback" : "letter");
    if (!fallback) {
      log.atError().addKeyValue("topic", writing.topic).addKeyValue("reason", reason)
          .log("Dead letter refused for good, writing a fallback letter in its place: {}", failure.toString());
      return sendUntilWritten(writing, writing.fallback.get(), true, 0);
    }
    if (attempt % FALLBACK_LOG_EVERY == 0) {
      log.atError().addKeyValue("topic", writing.topic).addKeyValue("reason", reason).addKeyValue("attempt", attempt + 1)
          .log("Fallback dead letter refused, the partition holds until it is written: {}", failure.toString());
    }
    return later(writing, record, true, attempt);
  }

  private Future<Boolean> later(Writing writing, LetterRecord record, boolean fallback, int attempt) {
    Promise<Boolean> retried = Promise.promise();
    vertx.setTimer(resilience.retryDelayMs(attempt), id ->
        sendUntilWritten(writing, record, fallback, attempt + 1).onComplete(retried));
    return retried.future();
  }

  private Future<Void> send(String topic, LetterRecord record) {
    return producer.send(KafkaProducerRecord.create(topic, record.key(), record.value()).addHeaders(record.headers()))
        .mapEmpty();
  }

  public Future<Void> close() {
    return producer.close(CLOSE_TIMEOUT_MS);
  }

  /** One letter being written: where to, for as long as it is wanted, and its fallback, made if needed. */
  private record Writing(String topic, BooleanSupplier stillWanted, Supplier<LetterRecord> fallback) {
  }
}
