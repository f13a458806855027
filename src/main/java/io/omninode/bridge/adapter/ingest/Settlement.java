package io.omninode.bridge.adapter.ingest;

import io.omninode.bridge.adapter.config.AdapterSettings;
import io.omninode.bridge.adapter.contract.ErrorType;
import io.omninode.bridge.adapter.contract.OperationResult;
import io.omninode.bridge.adapter.contract.ResultPath;
import io.omninode.bridge.adapter.deadletter.DeadLetter;
import io.omninode.bridge.adapter.deadletter.DeadLetterProducer;
import io.omninode.bridge.adapter.deadletter.RedriveHeaders;
import io.omninode.bridge.adapter.metrics.QuietFailures;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.function.Supplier;

/**
 * Where each event the consumer began ends: durable in PostgreSQL, durable on the dead-letter topic,
 * or waiting because the database is away (sent again by {@link Redelivery}); nothing else. An
 * exception of the adapter's own code on the way is that event's permanent failure, never an
 * unsettled ticket; counting comes after settling and never changes an outcome. Event-loop confined.
 */
final class Settlement {

  private static final Logger log = LoggerFactory.getLogger(KafkaConsumerVerticle.class);

  private final PartitionLedger ledger;
  private final DeadLetterProducer deadLetters;
  private final IngestStats stats;
  private final QuietFailures counting;
  private final Runnable onSettled;
  private final ResultPath<Delivery> results;
  private final Redelivery redelivery;
  private boolean stopping;

  /** {@code onSettled}: a ticket was settled, so the flow and the drain may change. */
  Settlement(Vertx vertx, Context context, AdapterSettings settings, PartitionLedger ledger,
      DeadLetterProducer deadLetters, IngestStats stats, QuietFailures counting, Runnable onSettled) {
    this.ledger = ledger;
    this.deadLetters = deadLetters;
    this.stats = stats;
    this.counting = counting;
    this.onSettled = onSettled;
    this.results = new ResultPath<>(vertx, context, settings.operations().requestTimeoutMs(), this::settle, this::retry);
    this.redelivery = new Redelivery(vertx, settings.resilience(), this::send, given -> settleTicket(given.ticket(), false));
  }

  /** An attempt (the first, a retry, a parked event) to its operation; if it cannot even be sent, the event has failed. */
  void send(Delivery attempt) {
    try {
      results.send(attempt.event().request(), attempt.source(), attempt);
    } catch (RuntimeException failure) {
      failed(attempt.record(), attempt.ticket(), failure);
    }
  }

  /** Bad input: an error line, then the dead-letter topic. */
  void rejected(ConsumerRecord<byte[], byte[]> record, PartitionLedger.Ticket ticket, Decoded.Rejected rejected) {
    deadLetter(record, ticket, () -> rejected.deadLetter(record), null);
  }

  /**
   * An exception of the adapter's own code while it handled this event: the event's permanent failure,
   * dead-lettered as a {@code PROCESSING_ERROR} with the stack trace logged once; never an unsettled ticket.
   */
  void failed(ConsumerRecord<byte[], byte[]> record, PartitionLedger.Ticket ticket, RuntimeException failure) {
    if (!ledger.isSettled(ticket)) {
      deadLetter(record, ticket, () -> DeadLetter.of(ErrorType.PROCESSING_ERROR, failure.toString(), "value",
          "processing", null, null, RedriveHeaders.retryCount(record)), failure);
    }
  }

  /** Results that have not come within the request timeout are retried (about once a second). */
  void sweep() {
    results.sweep();
  }

  void breakerChanged(boolean open) {
    redelivery.breakerChanged(open);
  }

  boolean breakerOpen() {
    return redelivery.breakerOpen();
  }

  /** Stopping: nothing is retried any more, and every parked event is given up (read again later). */
  void stop() {
    stopping = true;
    redelivery.stop();
  }

  /** Settles first, counts afterwards: whatever the counting does, the event's outcome stands. */
  private void settle(Delivery attempt, OperationResult result) {
    try {
      if (result.success()) {
        settleTicket(attempt.ticket(), true);
        counting.run(() -> persisted(attempt, result));
      } else if (result.errorType().isTransient()) {
        retry(attempt, result.errorMessage());
      } else {
        deadLetter(attempt.record(), attempt.ticket(), () -> attempt.refusedBy(result), null);
      }
    } catch (RuntimeException failure) {
      failed(attempt.record(), attempt.ticket(), failure);
    }
  }

  private void persisted(Delivery attempt, OperationResult result) {
    long nowMs = System.currentTimeMillis();
    stats.persisted(attempt.event(), result, nowMs);
    EventLog.persisted(attempt, nowMs);
  }

  private void retry(Delivery attempt, String reason) {
    boolean wanted = isWanted(attempt.ticket());
    redelivery.retry(attempt, wanted, reason);
    if (wanted) {
      counting.run(() -> stats.retried(attempt.event()));
    }
  }

  /** A letter that cannot be made becomes a {@code PROCESSING_ERROR} letter. */
  private void deadLetter(ConsumerRecord<byte[], byte[]> record, PartitionLedger.Ticket ticket,
      Supplier<DeadLetter> letterOf, RuntimeException cause) {
    DeadLetter letter;
    RuntimeException failure = cause;
    try {
      letter = letterOf.get();
    } catch (RuntimeException unmade) {
      failure = unmade;
      letter = DeadLetter.of(ErrorType.PROCESSING_ERROR, unmade.toString(), "value", "processing", null, null, 0);
    }
    DeadLetter rejected = letter;
    RuntimeException logged = failure;
    counting.run(() -> {
      stats.rejected();
      EventLog.rejected(record, rejected, logged);
    });
    writeDeadLetter(record, ticket, rejected);
  }

  /** Durable once the broker has it. */
  private void writeDeadLetter(ConsumerRecord<byte[], byte[]> record, PartitionLedger.Ticket ticket, DeadLetter letter) {
    Future<Boolean> written;
    try {
      written = deadLetters.sendUntilWritten(record, letter, () -> isWanted(ticket));
    } catch (RuntimeException unsent) {
      written = Future.failedFuture(unsent);
    }
    written.onComplete(done -> {
      boolean durable = done.succeeded() && done.result();
      if (done.failed()) {
        log.atError().setCause(done.cause()).addKeyValue("topic", record.topic())
            .addKeyValue("partition", record.partition()).addKeyValue("offset", record.offset())
            .log("Dead letter not written; the partition holds at this event until a restart");
      }
      settleTicket(ticket, durable);
      if (durable) {
        counting.run(() -> stats.deadLettered(record, letter.errorType()));
      }
    });
  }

  private void settleTicket(PartitionLedger.Ticket ticket, boolean durable) {
    if (ledger.settle(ticket, durable)) {
      onSettled.run();
    }
  }

  private boolean isWanted(PartitionLedger.Ticket ticket) {
    return !stopping && ledger.isCurrent(ticket);
  }
}
