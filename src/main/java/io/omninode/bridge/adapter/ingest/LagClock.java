package io.omninode.bridge.adapter.ingest;

import org.apache.kafka.common.TopicPartition;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How far behind in time each partition of ours is: the age of its oldest record not yet durable,
 * counted from that record's Kafka timestamp (from when it was read when it has none), 0 when the
 * partition is caught up. A record the consumer has not fetched yet has no timestamp it can see:
 * while a partition has nothing in flight but records behind it on the broker (its lag in records),
 * its age counts from the first sample that found it so, a lower bound, at the sampling period's
 * resolution. Event-loop confined; sampled with each commit.
 */
final class LagClock {

  private final Map<String, Long> behindSinceMs = new HashMap<>();

  /** The age (ms) of the oldest such record, per partition of ours ({@code topic-partition}). */
  Map<String, Long> sample(List<String> owned, Map<TopicPartition, PartitionLedger.Ticket> oldest,
      Map<String, Long> lagRecords, long nowMs, long nowNanos) {
    Map<String, Long> pendingAgesMs = new HashMap<>();
    oldest.forEach((partition, ticket) -> pendingAgesMs.put(partition.toString(), ticket.timestampMs < 0
        ? (nowNanos - ticket.begunAtNanos) / 1_000_000 : Math.max(0, nowMs - ticket.timestampMs)));
    behindSinceMs.keySet().retainAll(owned);
    Map<String, Long> ages = new HashMap<>();
    for (String partition : owned) {
      Long pendingAgeMs = pendingAgesMs.get(partition);
      if (pendingAgeMs == null && lagRecords.getOrDefault(partition, 0L) > 0) {
        ages.put(partition, nowMs - behindSinceMs.computeIfAbsent(partition, p -> nowMs));
      } else {
        behindSinceMs.remove(partition);
        ages.put(partition, pendingAgeMs == null ? 0 : pendingAgeMs);
      }
    }
    return ages;
  }

  /** Per partition, how long ago its oldest record not yet durable was read (ms). */
  static Map<TopicPartition, Long> sinceRead(Map<TopicPartition, PartitionLedger.Ticket> oldest, long nowNanos) {
    Map<TopicPartition, Long> ages = new HashMap<>();
    oldest.forEach((partition, ticket) -> ages.put(partition, (nowNanos - ticket.begunAtNanos) / 1_000_000));
    return ages;
  }
}
