package io.omninode.bridge.adapter.ingest;

import io.omninode.bridge.adapter.config.AdapterSettings;
import io.omninode.bridge.adapter.config.KafkaSettings;
import io.omninode.bridge.adapter.config.ResilienceSettings;
import io.omninode.bridge.adapter.deadletter.DeadLetter;
import io.omninode.bridge.adapter.deadletter.DeadLetterProducer;
import io.omninode.bridge.adapter.deadletter.DeadLetterTopics;
import io.omninode.bridge.adapter.metrics.AdapterMetrics;
import io.omninode.bridge.adapter.operation.Addresses;
import io.omninode.bridge.adapter.operation.LocalCall;
import io.omninode.bridge.adapter.operation.OperationResult;
import io.omninode.bridge.adapter.store.DatabaseBreaker;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Consumes the bridge topics, sends each event point to point to its operation verticle, and
 * commits offsets only once every event at or below them is durable in PostgreSQL or on the
 * dead-letter topic. Bounds the events in flight by pausing the partitions, pauses while the
 * database breaker is open, and retries database trouble without ever skipping an event.
 * Starting does not wait for the broker: the subscription is made at once and partitions come
 * when the broker answers.
 */
public final class KafkaConsumerVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(KafkaConsumerVerticle.class);

  private final KafkaSettings settings;
  private final DatabaseBreaker breaker;
  private final AdapterMetrics metrics;
  private final DeliveryOptions delivery;
  private final ResilienceSettings resilience;
  private final EnvelopeDecoder decoder;
  private final OffsetTracker tracker = new OffsetTracker();
  private final PartitionProgress progress = new PartitionProgress();
  private final IngestStats stats;
  private final OffsetCommitter committer;
  private final List<InFlightEvent> parked = new ArrayList<>();
  private FlowControlledConsumer nativeConsumer;
  private KafkaConsumer<byte[], byte[]> consumer;
  private DeadLetterProducer deadLetters;
  private DeadLetterTopics deadLetterTopics;
  private int inFlight;
  private long commitTimer;
  private boolean breakerOpen;
  private Promise<Void> drained;

  /** An accepted event on its way to the database, and how many times it has been tried. */
  private record InFlightEvent(Decoded.Accepted event, KafkaConsumerRecord<byte[], byte[]> record,
      OffsetTracker.Ticket ticket, int attempt) {

    InFlightEvent next() {
      return new InFlightEvent(event, record, ticket, attempt + 1);
    }
  }

  public KafkaConsumerVerticle(AdapterSettings settings, DatabaseBreaker breaker, AdapterMetrics metrics) {
    this.settings = settings.kafka();
    this.resilience = settings.resilience();
    this.decoder = new EnvelopeDecoder(settings.validation());
    this.breaker = breaker;
    this.metrics = metrics;
    this.stats = new IngestStats(metrics);
    this.committer = new OffsetCommitter(tracker, stats);
    this.delivery = new DeliveryOptions().setLocalOnly(true).setSendTimeout(settings.operations().requestTimeoutMs());
  }

  @Override
  public Future<?> start() {
    nativeConsumer = new FlowControlledConsumer(settings.consumerConfig(), progress, settings.revocationDrainMs());
    consumer = KafkaConsumer.create(vertx, nativeConsumer);
    committer.attach(consumer);
    consumer.exceptionHandler(failure -> log.warn("Kafka consumer error: {}", failure.toString()));
    consumer.handler(this::accept);
    breaker.onStateChange(state -> context.runOnContext(v -> breakerChanged(state)));
    vertx.eventBus().localConsumer(Addresses.INGEST_STATS, message -> message.reply(statsJson()));
    metrics.gauge("bridge.events.in.flight", "events read and not yet durable", () -> inFlight);
    deadLetters = DeadLetterProducer.create(vertx, settings, resilience);
    deadLetterTopics = DeadLetterTopics.ensure(vertx, settings, resilience);
    return consumer.subscribe(Set.copyOf(settings.topics()))
        .onSuccess(v -> commitTimer = vertx.setPeriodic(settings.commitIntervalMs(), id -> onCommitTick()))
        .onSuccess(v -> log.atInfo().addKeyValue("topics", settings.topics())
            .addKeyValue("group_id", settings.groupId()).log("Kafka consumer subscribed"));
  }

  /** Stops fetching, lets the events in flight finish (or abandons them), commits what is durable, leaves. */
  @Override
  public Future<?> stop() {
    Future<Void> topicsStopped = deadLetterTopics.stop();
    nativeConsumer.hold();
    vertx.cancelTimer(commitTimer);
    drained = Promise.promise();
    parked.forEach(waiting -> release(waiting.ticket(), false));
    parked.clear();
    long timer = vertx.setTimer(settings.revocationDrainMs(), id -> drained.tryComplete());
    completeIfDrained();
    return drained.future()
        .andThen(v -> vertx.cancelTimer(timer))
        .compose(v -> committer.commitDurable())
        .eventually(deadLetters::close)
        .eventually(() -> consumer.close())
        .eventually(() -> topicsStopped);
  }

  private void onCommitTick() {
    committer.commitDurable();
    stats.sampleLag(nativeConsumer.lag());
  }

  private boolean stopping() {
    return drained != null;
  }

  private void accept(KafkaConsumerRecord<byte[], byte[]> record) {
    if (stopping()) {
      return; // fetched before the hold took effect: never begun, so never committed, consumed again later
    }
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    if (!progress.admit(partition)) {
      return; // fetched before its partition was revoked: the next owner consumes it
    }
    OffsetTracker.Ticket ticket = tracker.begin(partition, record.offset());
    inFlight++;
    updateFlow();
    Decoded decoded = decoder.decode(record.topic(), record.value(), record.timestamp());
    stats.consumed(decoded, record);
    if (decoded instanceof Decoded.Accepted accepted) {
      deliver(new InFlightEvent(accepted, record, ticket, 0));
    } else if (decoded instanceof Decoded.Rejected rejected) {
      reject(record, ticket, new DeadLetter(rejected.errorType(), rejected.message(),
          new JsonObject().put("field", rejected.field()).put("rule", rejected.rule())
              .put("correlation_id", rejected.correlationId()), 0));
    }
  }

  private void deliver(InFlightEvent attempt) {
    Decoded.Accepted event = attempt.event();
    vertx.eventBus().<OperationResult>request(event.type().operation().address(), new LocalCall(event.request()),
            delivery)
        .onSuccess(reply -> onReply(reply.body(), attempt))
        .onFailure(failure -> retry(attempt, failure.toString()));
  }

  private void onReply(OperationResult reply, InFlightEvent attempt) {
    if (reply.success()) {
      stats.persisted(attempt.event(), attempt.record());
      release(attempt.ticket(), true);
    } else if (reply.errorType().isTransient()) {
      retry(attempt, reply.errorMessage());
    } else {
      Decoded.Accepted event = attempt.event();
      reject(attempt.record(), attempt.ticket(), new DeadLetter(reply.errorType().name(), reply.errorMessage(),
          new JsonObject()
              .put("field", reply.errorField() == null ? event.type().operation().dataField() : reply.errorField())
              .put("rule", reply.errorRule())
              .put("operation_type", event.type().operation().wireName())
              .put("event_type", event.type().name())
              .put("event_id", event.eventId())
              .put("correlation_id", event.correlationId()), attempt.attempt()));
    }
  }

  /** Database trouble is never the event's fault: try again later (after the breaker closes), never skip it. */
  private void retry(InFlightEvent attempt, String reason) {
    if (stopping() || !tracker.isCurrent(attempt.ticket())) {
      release(attempt.ticket(), false); // the partition moved or we are stopping: consumed again later
      return;
    }
    stats.retried(attempt.event());
    if (breakerOpen) {
      parked.add(attempt.next());
      return;
    }
    long delay = resilience.retryDelayMs(attempt.attempt());
    log.atDebug().addKeyValue("correlation_id", attempt.event().correlationId())
        .addKeyValue("event_id", attempt.event().eventId())
        .addKeyValue("attempt", attempt.attempt() + 1).addKeyValue("retry_in_ms", delay)
        .log("Event not persisted, will retry: {}", reason);
    vertx.setTimer(delay, id -> deliver(attempt.next()));
  }

  /** Bad input: a structured error in the log, then the dead-letter topic; the offset moves on once it is there. */
  private void reject(KafkaConsumerRecord<byte[], byte[]> record, OffsetTracker.Ticket ticket, DeadLetter letter) {
    stats.rejected();
    log.atError().addKeyValue("correlation_id", letter.errorContext().getString("correlation_id"))
        .addKeyValue("event_id", letter.errorContext().getString("event_id"))
        .addKeyValue("error_type", letter.errorType()).addKeyValue("error_context", letter.errorContext().getMap())
        .addKeyValue("topic", record.topic()).addKeyValue("partition", record.partition())
        .addKeyValue("offset", record.offset()).log("Event rejected: {}", letter.errorMessage());
    deadLetters.sendUntilWritten(record.record(), letter, () -> !stopping() && tracker.isCurrent(ticket))
        .onSuccess(written -> {
          if (written) {
            stats.deadLettered(record, letter.errorType());
          }
          release(ticket, written);
        });
  }

  private void release(OffsetTracker.Ticket ticket, boolean durable) {
    if (ticket.isFinished()) {
      return;
    }
    if (durable) {
      tracker.complete(ticket);
    } else {
      tracker.abandon(ticket);
    }
    if (tracker.isCurrent(ticket)) {
      progress.publish(ticket.partition, tracker.committable(ticket.partition), tracker.unfinished(ticket.partition));
    }
    inFlight--;
    updateFlow();
    completeIfDrained();
  }

  /** Pause at the in-flight limit or while the breaker is open; resume at half the limit. */
  private void updateFlow() {
    boolean holding = nativeConsumer.isHolding();
    if (!holding && (breakerOpen || inFlight >= settings.maxInFlight())) {
      nativeConsumer.hold();
    } else if (holding && !breakerOpen && !stopping() && inFlight <= settings.maxInFlight() / 2) {
      nativeConsumer.release();
    }
  }

  private void breakerChanged(CircuitBreakerState state) {
    breakerOpen = state == CircuitBreakerState.OPEN;
    if (breakerOpen) {
      stats.breakerOpened();
    } else {
      List<InFlightEvent> waiting = new ArrayList<>(parked);
      parked.clear();
      waiting.forEach(this::deliver); // half-open: one batch probes, the others come back here
    }
    updateFlow();
  }

  private void completeIfDrained() {
    if (drained != null && inFlight == 0) {
      drained.tryComplete();
    }
  }

  private JsonObject statsJson() {
    return stats.toJson(inFlight, nativeConsumer.isHolding(), committer.assignedPartitions())
        .put("breaker", breaker.state().name());
  }
}
