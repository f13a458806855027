package io.omninode.bridge.adapter.ingest;

import io.omninode.bridge.adapter.contract.ErrorType;
import io.omninode.bridge.adapter.contract.EventType;
import io.omninode.bridge.adapter.contract.OperationResult;
import io.omninode.bridge.adapter.metrics.AdapterMetrics;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.record.TimestampType;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * What the Kafka consumer verticle has done, counted twice: plain counters for the health
 * endpoints (event-loop confined) and Micrometer meters for {@code /metrics}; and how long each
 * partition has not committed past a record it read.
 */
final class IngestStats {

  private final AdapterMetrics metrics;
  private final Map<EventType, AdapterMetrics.EventMeters> meters = new EnumMap<>(EventType.class);
  private final AdapterMetrics.Stage fetchStage;
  private final AdapterMetrics.Stage dispatchStage;
  private final AdapterMetrics.Stage replyStage;
  private Map<TopicPartition, Long> uncommittableAgeMs = Map.of();
  private long consumed;
  private long persisted;
  private long rejected;
  private long deadLettered;
  private long retried;
  private long breakerOpened;
  private long commits;
  private long lastCommitAtMs;

  IngestStats(AdapterMetrics metrics) {
    this.metrics = metrics;
    for (EventType type : EventType.values()) {
      meters.put(type, metrics.forEventType(type.name()));
    }
    fetchStage = metrics.stage("fetch");
    dispatchStage = metrics.stage("dispatch");
    replyStage = metrics.stage("reply");
  }

  /** Read and decoded: from the producer to the poll ({@code fetch}), from the poll to now ({@code dispatch}). */
  void consumed(Decoded decoded, ConsumerRecord<byte[], byte[]> record, PollThreadConsumer.Poll poll) {
    consumed++;
    if (record.timestampType() == TimestampType.CREATE_TIME) {
      fetchStage.record(TimeUnit.MILLISECONDS.toNanos(poll.atMillis() - record.timestamp()));
    }
    dispatchStage.record(System.nanoTime() - poll.atNanos());
    if (decoded instanceof Decoded.Accepted accepted) {
      meters.get(accepted.type()).consumed();
    } else {
      metrics.consumed(typeOf(record));
    }
  }

  /** {@code nowMs}: when it was found durable. */
  void persisted(Decoded.Accepted event, OperationResult result, long nowMs) {
    persisted++;
    replyStage.record(System.nanoTime() - result.finishedAtNanos());
    meters.get(event.type()).persisted(nowMs - event.eventTimeMs());
  }

  void retried(Decoded.Accepted event) {
    retried++;
    meters.get(event.type()).retried();
  }

  void rejected() {
    rejected++;
  }

  void deadLettered(ConsumerRecord<byte[], byte[]> record, ErrorType errorType) {
    deadLettered++;
    metrics.processed(typeOf(record), "dead_lettered", errorType.name());
  }

  void breakerOpened() {
    breakerOpened++;
  }

  void committed() {
    commits++;
    lastCommitAtMs = System.currentTimeMillis();
  }

  /** Per partition, how long it has not committed past a record it read (ms). */
  void sampleUncommittable(Map<TopicPartition, Long> ageMs) {
    uncommittableAgeMs = ageMs;
    metrics.oldestUncommitted(ageMs.entrySet().stream()
        .collect(Collectors.toMap(entry -> entry.getKey().toString(), Map.Entry::getValue)));
  }

  JsonObject toJson() {
    return new JsonObject()
        .put("consumed", consumed)
        .put("persisted", persisted)
        .put("rejected", rejected)
        .put("dead_lettered", deadLettered)
        .put("retried", retried)
        .put("breaker_opened", breakerOpened)
        .put("commits", commits)
        .put("last_commit_at_ms", lastCommitAtMs);
  }

  /** Per partition, how long it has not committed past a record; stuck after {@code stuckAfterMs}. */
  void addUncommittable(JsonObject stats, long stuckAfterMs) {
    JsonObject ages = new JsonObject();
    uncommittableAgeMs.forEach((partition, ms) -> ages.put(partition.toString(), ms));
    List<String> stuck = uncommittableAgeMs.entrySet().stream().filter(entry -> entry.getValue() > stuckAfterMs)
        .map(entry -> entry.getKey().toString()).sorted().toList();
    stats.put("oldest_uncommitted_ms", ages).put("stuck_partitions", new JsonArray(stuck));
  }

  /** The event type a topic names, for events whose own type could not be read. */
  private static String typeOf(ConsumerRecord<byte[], byte[]> record) {
    return EventType.fromTopic(record.topic()).map(EventType::name).orElse("UNKNOWN");
  }
}
