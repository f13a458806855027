package io.omninode.bridge.adapter.ingest;

import io.omninode.bridge.adapter.config.KafkaSettings;
import io.omninode.bridge.adapter.config.OperationSettings;
import io.omninode.bridge.adapter.operation.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Consumes the bridge topics, sends each event point to point to its operation verticle, and
 * commits offsets only once every event at or below them is durable or rejected. Bounds the
 * events in flight by pausing the partitions; retries database trouble without ever skipping.
 */
public final class KafkaConsumerVerticle extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(KafkaConsumerVerticle.class);
  private static final long FIRST_RETRY_MS = 100;
  private static final long MAX_RETRY_MS = 10_000;

  private final KafkaSettings settings;
  private final DeliveryOptions delivery;
  private final OffsetTracker tracker = new OffsetTracker();
  private final PartitionProgress progress = new PartitionProgress();
  private final IngestStats stats = new IngestStats();
  private final Set<TopicPartition> assigned = new HashSet<>();
  private FlowControlledConsumer nativeConsumer;
  private KafkaConsumer<String, byte[]> consumer;
  private int inFlight;
  private long commitTimer;
  private boolean stopping;

  public KafkaConsumerVerticle(KafkaSettings settings, OperationSettings operations) {
    this.settings = settings;
    this.delivery = new DeliveryOptions().setLocalOnly(true).setSendTimeout(operations.requestTimeoutMs());
  }

  @Override
  public Future<?> start() {
    nativeConsumer = new FlowControlledConsumer(clientConfig(), progress, settings.revocationDrainMs());
    consumer = KafkaConsumer.create(vertx, nativeConsumer);
    consumer.partitionsAssignedHandler(partitions -> partitions.forEach(p -> assigned.add(native_(p))));
    consumer.partitionsRevokedHandler(this::forgetRevoked);
    consumer.exceptionHandler(failure -> log.warn("Kafka consumer error: {}", failure.toString()));
    consumer.handler(this::accept);
    commitTimer = vertx.setPeriodic(settings.commitIntervalMs(), id -> commitDurable());
    vertx.eventBus().localConsumer(Addresses.INGEST_STATS, message ->
        message.reply(stats.toJson(inFlight, nativeConsumer.isHolding(), assigned.size())));
    return consumer.subscribe(Set.copyOf(settings.topics()))
        .onSuccess(v -> log.atInfo().addKeyValue("topics", settings.topics())
            .addKeyValue("group_id", settings.groupId()).log("Kafka consumer subscribed"));
  }

  /** Commits what is durable, then leaves the group; events still in flight are replayed after a restart. */
  @Override
  public Future<?> stop() {
    stopping = true;
    vertx.cancelTimer(commitTimer);
    return commitDurable().eventually(() -> consumer.close());
  }

  private void accept(KafkaConsumerRecord<String, byte[]> record) {
    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
    OffsetTracker.Ticket ticket = tracker.begin(partition, record.offset());
    stats.consumed++;
    if (++inFlight >= settings.maxInFlight() && !nativeConsumer.isHolding()) {
      nativeConsumer.hold();
    }
    Decoded decoded = EnvelopeDecoder.decode(record.topic(), record.value(), record.timestamp());
    if (decoded instanceof Decoded.Accepted accepted) {
      deliver(accepted, record, ticket, 0);
    } else if (decoded instanceof Decoded.Rejected rejected) {
      reject(record, rejected.errorType(), rejected.field(), rejected.message(), ticket);
    }
  }

  private void deliver(Decoded.Accepted event, KafkaConsumerRecord<String, byte[]> record,
      OffsetTracker.Ticket ticket, int attempt) {
    vertx.eventBus().<JsonObject>request(event.type().operation().address(), event.request(), delivery)
        .onSuccess(reply -> onReply(reply.body(), event, record, ticket, attempt))
        .onFailure(failure -> retry(event, record, ticket, attempt, failure.toString()));
  }

  private void onReply(JsonObject reply, Decoded.Accepted event, KafkaConsumerRecord<String, byte[]> record,
      OffsetTracker.Ticket ticket, int attempt) {
    if (reply.getBoolean("success", false)) {
      stats.persisted++;
      complete(ticket);
    } else if ("DATABASE_UNAVAILABLE".equals(reply.getString("error_type"))) {
      retry(event, record, ticket, attempt, reply.getString("error_message"));
    } else {
      reject(record, reply.getString("error_type"), event.type().operation().dataField(),
          reply.getString("error_message"), ticket);
    }
  }

  /** Database trouble is never the event's fault: try again later, never skip it. */
  private void retry(Decoded.Accepted event, KafkaConsumerRecord<String, byte[]> record,
      OffsetTracker.Ticket ticket, int attempt, String reason) {
    if (stopping || !tracker.isCurrent(ticket)) {
      release(ticket, false); // the partition moved or we are stopping: consumed again later
      return;
    }
    stats.retried++;
    long ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS << Math.min(attempt, 16));
    long delay = ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1);
    log.atWarn().addKeyValue("event_id", event.request().getString("event_id"))
        .addKeyValue("correlation_id", event.correlationId()).addKeyValue("attempt", attempt + 1)
        .addKeyValue("retry_in_ms", delay).log("Event not persisted, will retry: {}", reason);
    vertx.setTimer(delay, id -> deliver(event, record, ticket, attempt + 1));
  }

  /** Bad input: logged as a structured error and counted; it does not stop the partition. */
  private void reject(KafkaConsumerRecord<String, byte[]> record, String errorType, String field, String message,
      OffsetTracker.Ticket ticket) {
    stats.rejected++;
    log.atError().addKeyValue("error_type", errorType).addKeyValue("field", field)
        .addKeyValue("topic", record.topic()).addKeyValue("partition", record.partition())
        .addKeyValue("offset", record.offset()).addKeyValue("key", record.key())
        .log("Event rejected: {}", message);
    complete(ticket);
  }

  private void complete(OffsetTracker.Ticket ticket) {
    release(ticket, true);
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
    if (--inFlight <= settings.maxInFlight() / 2 && nativeConsumer.isHolding()) {
      nativeConsumer.release();
    }
  }

  private Future<Void> commitDurable() {
    Map<TopicPartition, Long> offsets = tracker.uncommitted();
    offsets.keySet().retainAll(assigned);
    if (offsets.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<io.vertx.kafka.client.common.TopicPartition, io.vertx.kafka.client.consumer.OffsetAndMetadata> commit =
        new HashMap<>();
    offsets.forEach((partition, offset) -> commit.put(
        new io.vertx.kafka.client.common.TopicPartition(partition.topic(), partition.partition()),
        new io.vertx.kafka.client.consumer.OffsetAndMetadata(offset, null)));
    return consumer.commit(commit)
        .onSuccess(v -> {
          tracker.markCommitted(offsets);
          stats.commits++;
          stats.lastCommitAtMs = System.currentTimeMillis();
        })
        .onFailure(failure -> log.warn("Offset commit failed, will retry: {}", failure.toString()))
        .mapEmpty();
  }

  private void forgetRevoked(Set<io.vertx.kafka.client.common.TopicPartition> partitions) {
    Set<TopicPartition> revoked = new HashSet<>();
    partitions.forEach(p -> revoked.add(native_(p)));
    assigned.removeAll(revoked);
    tracker.forget(revoked);
  }

  private Map<String, Object> clientConfig() {
    Map<String, Object> config = new HashMap<>(settings.client());
    config.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, settings.bootstrapServers());
    config.put(ConsumerConfig.GROUP_ID_CONFIG, settings.groupId());
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, settings.autoOffsetReset());
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, settings.maxPollRecords());
    return config;
  }

  private static TopicPartition native_(io.vertx.kafka.client.common.TopicPartition partition) {
    return new TopicPartition(partition.getTopic(), partition.getPartition());
  }
}
