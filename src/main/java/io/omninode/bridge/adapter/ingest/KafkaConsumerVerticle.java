package io.omninode.bridge.adapter.ingest;

import io.omninode.bridge.adapter.config.AdapterSettings;
import io.omninode.bridge.adapter.config.KafkaSettings;
import io.omninode.bridge.adapter.deadletter.DeadLetterProducer;
import io.omninode.bridge.adapter.metrics.AdapterMetrics;
import io.omninode.bridge.adapter.metrics.QuietFailures;
import io.omninode.bridge.adapter.store.DatabaseBreaker;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
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
 * Consumes the bridge topics: accepts each record into the {@link PartitionLedger}, decodes it, and
 * hands it to its {@link Settlement} (to its operation, or to the dead-letter topic); commits what the
 * ledger says is durable. Fetching stops at {@code max_in_flight} and while the database breaker is
 * open. Starting does not wait for the broker: the subscription is made at once, and partitions come
 * when the broker answers.
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
  private final LagSampler lag;
  private final QuietFailures counting = new QuietFailures(log, "Counting an event");
  private PollThreadConsumer pollThread;
  private KafkaConsumer<byte[], byte[]> consumer;
  private DeadLetterProducer deadLetters;
  private Settlement settlement;
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
    this.lag = new LagSampler(metrics);
  }

  @Override
  public Future<?> start() {
    pollThread = new PollThreadConsumer(clients.consumer(), ledger, settings.revocationDrainMs(), lag);
    consumer = KafkaConsumer.create(vertx, pollThread);
    consumer.exceptionHandler(failure -> log.warn("Kafka consumer error: {}", failure.toString()));
    consumer.batchHandler(this::accept);
    deadLetters = new DeadLetterProducer(vertx, settings, adapter.resilience(), clients.producer(), metrics);
    settlement = new Settlement(vertx, context, adapter, ledger, deadLetters, stats, counting, this::settled);
    breaker.onStateChange(state -> context.runOnContext(v -> breakerChanged(state)));
    new StatsReply(stats, lag, ledger, pollThread, breaker, settings.stuckPartitionMs()).register(vertx.eventBus());
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
    settlement.stop();
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
        settlement.send(new Delivery(event, record, ticket, 0));
      } else if (decoded instanceof Decoded.Rejected rejected) {
        settlement.rejected(record, ticket, rejected);
      }
    } catch (RuntimeException failure) {
      settlement.failed(record, ticket, failure);
    }
  }

  /** A ticket settled: fetch again if the flow allows, and finish stopping once nothing is in flight. */
  private void settled() {
    updateFlow();
    if (drained != null && ledger.inFlight() == 0) {
      drained.tryComplete();
    }
  }

  private void onCommitTick() {
    commitDurable();
    settlement.sweep();
    counting.run(lag::sample);
    Map<TopicPartition, PartitionLedger.Ticket> oldest = ledger.oldestUncommittable();
    long nowNanos = System.nanoTime();
    counting.run(() -> stats.sampleUncommittable(LagClock.sinceRead(oldest, nowNanos)));
    counting.run(() -> metrics.consumerLagSeconds(
        lagClock.sample(ledger.owned(), oldest, lag.latest(), System.currentTimeMillis(), nowNanos)));
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
    if (pollThread.isFetching() && (settlement.breakerOpen() || inFlight >= settings.maxInFlight()
        || inFlightBytes >= settings.maxInFlightBytes())) {
      pollThread.stopFetching();
    } else if (!pollThread.isFetching() && !settlement.breakerOpen() && !stopping
        && inFlight <= settings.maxInFlight() / 2 && inFlightBytes <= settings.maxInFlightBytes() / 2) {
      pollThread.resumeFetching();
    }
  }

  private void breakerChanged(CircuitBreakerState state) {
    if (state == CircuitBreakerState.OPEN) {
      stats.breakerOpened();
    }
    settlement.breakerChanged(state == CircuitBreakerState.OPEN);
    updateFlow();
  }
}
