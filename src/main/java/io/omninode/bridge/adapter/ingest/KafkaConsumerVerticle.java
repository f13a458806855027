package io.omninode.bridge.adapter.ingest;

import io.omninode.bridge.adapter.config.AdapterSettings;
import io.omninode.bridge.adapter.config.KafkaSettings;
import io.omninode.bridge.adapter.contract.Addresses;
import io.omninode.bridge.adapter.contract.ErrorType;
import io.omninode.bridge.adapter.contract.OperationResult;
import io.omninode.bridge.adapter.contract.ResultPath;
import io.omninode.bridge.adapter.deadletter.DeadLetter;
import io.omninode.bridge.adapter.deadletter.DeadLetterProducer;
import io.omninode.bridge.adapter.deadletter.RedriveHeaders;
import io.omninode.bridge.adapter.metrics.AdapterMetrics;
import io.omninode.bridge.adapter.metrics.QuietFailures;
import io.omninode.bridge.adapter.store.DatabaseBreaker;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecords;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Consumes the bridge topics: accepts each record into the {@link PartitionLedger}, decodes it,
 * delivers it point to point to its operation, and settles it once it is durable in PostgreSQL or
 * on the dead-letter topic; commits what the ledger says is durable. Fetching stops at
 * {@code max_in_flight} and while the database breaker is open; database trouble goes to
 * {@link Redelivery}, never to the dead-letter topic. Starting does not wait for the broker: the
 * subscription is made at once, and partitions come when the broker answers.
 */
public final class KafkaConsumerVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(KafkaConsumerVerticle.class);

  private final AdapterSettings adapter;
  private final KafkaSettings settings;
  private final KafkaClients clients;
  private final DatabaseBreaker breaker;
  private final AdapterMetrics metrics;
  private final EnvelopeDecoder decoder;
  private final PartitionLedger ledger = new PartitionLedger();
  private final IngestStats stats;
  private final LagClock lagClock = new LagClock();
  private final QuietFailures counting = new QuietFailures(log, "Counting an event");
  private PollThreadConsumer pollThread;
  private KafkaConsumer<byte[], byte[]> consumer;
  private DeadLetterProducer deadLetters;
  private Redelivery redelivery;
  private ResultPath<Delivery> results;
  private Supplier<Future<Void>> stopDeadLetterTopics;
  private long commitTimer;
  private boolean stopping;
  private Promise<Void> drained;

  public KafkaConsumerVerticle(AdapterSettings settings, DatabaseBreaker breaker, AdapterMetrics metrics) {
    this(settings, KafkaClients.of(settings.kafka()), breaker, metrics);
  }

  KafkaConsumerVerticle(AdapterSettings settings, KafkaClients clients, DatabaseBreaker breaker, AdapterMetrics metrics) {
    this(settings, clients, new EnvelopeDecoder(settings.validation()), breaker, metrics);
  }

  KafkaConsumerVerticle(AdapterSettings settings, KafkaClients clients, EnvelopeDecoder decoder, DatabaseBreaker breaker,
      AdapterMetrics metrics) {
    this.adapter = settings;
    this.settings = settings.kafka();
    this.clients = clients;
    this.breaker = breaker;
    this.metrics = metrics;
    this.decoder = decoder;
    this.stats = new IngestStats(metrics);
  }

  @Override
  public Future<?> start() {
    pollThread = new PollThreadConsumer(clients.consumer(), ledger, settings.revocationDrainMs());
    consumer = KafkaConsumer.create(vertx, pollThread);
    consumer.exceptionHandler(failure -> log.warn("Kafka consumer error: {}", failure.toString()));
    consumer.batchHandler(this::accept);
    results = new ResultPath<>(vertx, context, adapter.operations().requestTimeoutMs(), this::settleResult, this::retry);
    redelivery = new Redelivery(vertx, adapter.resilience(), this::send, given -> settle(given.ticket(), false));
    deadLetters = new DeadLetterProducer(vertx, settings, adapter.resilience(), clients.producer(), metrics);
    breaker.onStateChange(state -> context.runOnContext(v -> breakerChanged(state)));
    vertx.eventBus().localConsumer(Addresses.INGEST_STATS, message -> message.reply(statsJson()));
    metrics.gauge("bridge.events.in.flight", "events read and not yet durable", ledger::inFlight);
    metrics.gauge("bridge.events.in.flight.bytes", "bytes (key and value) of the events in flight", ledger::inFlightBytes);
    stopDeadLetterTopics = clients.ensureDeadLetterTopics(vertx, settings, adapter.resilience());
    return consumer.subscribe(Set.copyOf(settings.topics()))
        .onSuccess(v -> commitTimer = vertx.setPeriodic(settings.commitIntervalMs(), id -> onCommitTick()))
        .onSuccess(v -> log.atInfo().addKeyValue("topics", settings.topics())
            .addKeyValue("group_id", settings.groupId()).log("Kafka consumer subscribed"));
  }

  /** Stops fetching, lets the events in flight finish (or gives them up), commits what is durable, leaves. */
  @Override
  public Future<?> stop() {
    stopping = true;
    Future<Void> topicsStopped = stopDeadLetterTopics.get();
    pollThread.stopFetching();
    vertx.cancelTimer(commitTimer);
    redelivery.stop();
    drained = Promise.promise();
    if (ledger.inFlight() == 0) {
      drained.complete();
    }
    return drained.future().timeout(settings.revocationDrainMs(), TimeUnit.MILLISECONDS).otherwiseEmpty()
        .compose(v -> commitDurable())
        .eventually(deadLetters::close)
        .eventually(consumer::close)
        .eventually(() -> topicsStopped);
  }

  private void accept(KafkaConsumerRecords<byte[], byte[]> batch) {
    ConsumerRecords<byte[], byte[]> records = batch.records();
    PollThreadConsumer.Poll poll = pollThread.pollOf(records);
    for (TopicPartition partition : records.partitions()) {
      for (ConsumerRecord<byte[], byte[]> record : records.records(partition)) {
        accept(partition, record, poll);
      }
    }
  }

  private void accept(TopicPartition partition, ConsumerRecord<byte[], byte[]> record, PollThreadConsumer.Poll poll) {
    PartitionLedger.Ticket ticket = stopping ? null
        : ledger.begin(partition, record.offset(), poll.number(), bytesOf(record), record.timestamp());
    if (ticket == null) {
      return; // never begun, so never committed: read again by whoever owns the partition next
    }
    updateFlow();
    try {
      Decoded decoded = decoder.decode(record.topic(), record.value(), record.timestamp());
      counting.run(() -> stats.consumed(decoded, record, poll));
      if (decoded instanceof Decoded.Accepted event) {
        Delivery first = new Delivery(event, record, ticket, 0);
        results.send(event.request(), first.source(), first);
      } else if (decoded instanceof Decoded.Rejected rejected) {
        deadLetter(record, ticket, () -> rejected.deadLetter(record), null);
      }
    } catch (RuntimeException failure) {
      failed(record, ticket, failure);
    }
  }

  /** An attempt again (a retry, a parked event); if it cannot even be sent, the event has failed. */
  private void send(Delivery attempt) {
    try {
      results.send(attempt.event().request(), attempt.source(), attempt);
    } catch (RuntimeException failure) {
      failed(attempt.record(), attempt.ticket(), failure);
    }
  }

  /** Settles first, counts afterwards: whatever the counting does, the event's outcome stands. */
  private void settleResult(Delivery attempt, OperationResult result) {
    try {
      if (result.success()) {
        settle(attempt.ticket(), true);
        counting.run(() -> stats.persisted(attempt, result));
      } else if (result.errorType().isTransient()) {
        retry(attempt, result.errorMessage());
      } else {
        deadLetter(attempt.record(), attempt.ticket(), () -> attempt.refusedBy(result), null);
      }
    } catch (RuntimeException failure) {
      failed(attempt.record(), attempt.ticket(), failure);
    }
  }

  private void retry(Delivery attempt, String reason) {
    boolean wanted = isWanted(attempt.ticket());
    redelivery.retry(attempt, wanted, reason);
    if (wanted) {
      counting.run(() -> stats.retried(attempt.event()));
    }
  }

  /**
   * An exception of the adapter's own code while it handled this event: the event's permanent failure,
   * dead-lettered as a {@code PROCESSING_ERROR} with the stack trace logged once; never an unsettled ticket.
   */
  private void failed(ConsumerRecord<byte[], byte[]> record, PartitionLedger.Ticket ticket, RuntimeException failure) {
    if (!ledger.isSettled(ticket)) {
      deadLetter(record, ticket, () -> DeadLetter.of(ErrorType.PROCESSING_ERROR, failure.toString(), "value",
          "processing", null, null, RedriveHeaders.retryCount(record)), failure);
    }
  }

  /**
   * Bad input: a structured error in the log, then the dead-letter topic; durable once the broker has
   * it. A letter that cannot be made becomes a {@code PROCESSING_ERROR} letter.
   */
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
    counting.run(() -> stats.rejected(record, rejected, logged));
    writeDeadLetter(record, ticket, rejected);
  }

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
      settle(ticket, durable);
      if (durable) {
        counting.run(() -> stats.deadLettered(record, letter.errorType()));
      }
    });
  }

  private void settle(PartitionLedger.Ticket ticket, boolean durable) {
    if (ledger.settle(ticket, durable)) {
      updateFlow();
      if (drained != null && ledger.inFlight() == 0) {
        drained.tryComplete();
      }
    }
  }

  private boolean isWanted(PartitionLedger.Ticket ticket) {
    return !stopping && ledger.isCurrent(ticket);
  }

  private void onCommitTick() {
    commitDurable();
    results.sweep();
    counting.run(() -> stats.sampleLag(pollThread.lag()));
    Map<TopicPartition, PartitionLedger.Ticket> oldest = ledger.oldestUncommittable();
    long nowNanos = System.nanoTime();
    counting.run(() -> stats.sampleUncommittable(LagClock.sinceRead(oldest, nowNanos)));
    counting.run(() -> metrics.consumerLagSeconds(
        lagClock.sample(ledger.owned(), oldest, pollThread.lag(), System.currentTimeMillis(), nowNanos)));
  }

  private static long bytesOf(ConsumerRecord<byte[], byte[]> record) {
    return (record.key() == null ? 0 : record.key().length) + (record.value() == null ? 0 : record.value().length);
  }

  private Future<Void> commitDurable() {
    Map<TopicPartition, OffsetAndMetadata> offsets = ledger.committable();
    if (offsets.isEmpty()) {
      return Future.succeededFuture();
    }
    return consumer.asStream().commit(offsets)
        .onSuccess(v -> {
          ledger.committed(offsets);
          stats.committed();
        })
        .onFailure(failure -> log.warn("Offset commit failed, will retry: {}", failure.toString()))
        .mapEmpty();
  }

  /**
   * Fetch while under {@code max_in_flight} events and {@code max_in_flight_bytes}, and the breaker is
   * not open; resume at half of both limits.
   */
  private void updateFlow() {
    int inFlight = ledger.inFlight();
    long inFlightBytes = ledger.inFlightBytes();
    if (pollThread.isFetching() && (redelivery.breakerOpen() || inFlight >= settings.maxInFlight()
        || inFlightBytes >= settings.maxInFlightBytes())) {
      pollThread.stopFetching();
    } else if (!pollThread.isFetching() && !redelivery.breakerOpen() && !stopping
        && inFlight <= settings.maxInFlight() / 2 && inFlightBytes <= settings.maxInFlightBytes() / 2) {
      pollThread.resumeFetching();
    }
  }

  private void breakerChanged(CircuitBreakerState state) {
    if (state == CircuitBreakerState.OPEN) {
      stats.breakerOpened();
    }
    redelivery.breakerChanged(state == CircuitBreakerState.OPEN);
    updateFlow();
  }

  /**
   * The counters; a partition is stuck when it has not committed past a record for
   * {@code stuck_partition_ms} while the database is up (the breaker closed).
   */
  private JsonObject statsJson() {
    long stuckAfterMs = breaker.state() == CircuitBreakerState.CLOSED ? settings.stuckPartitionMs() : Long.MAX_VALUE;
    return stats.toJson(ledger.inFlight(), !pollThread.isFetching(), ledger.owned(), stuckAfterMs)
        .put("in_flight_bytes", ledger.inFlightBytes())
        .put("breaker", breaker.state().name());
  }
}
