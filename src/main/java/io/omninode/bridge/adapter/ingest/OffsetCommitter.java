package io.omninode.bridge.adapter.ingest;

import io.vertx.core.Future;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Commits, for each partition still assigned, the offset below which every event is durable. */
final class OffsetCommitter {

  private static final Logger log = LoggerFactory.getLogger(OffsetCommitter.class);

  private final OffsetTracker tracker;
  private final IngestStats stats;
  private final Set<TopicPartition> assigned = new HashSet<>();
  private KafkaConsumer<byte[], byte[]> consumer;

  OffsetCommitter(OffsetTracker tracker, IngestStats stats) {
    this.tracker = tracker;
    this.stats = stats;
  }

  /** Follows the consumer's assignment; the tracker forgets revoked partitions (their new owner replays). */
  void attach(KafkaConsumer<byte[], byte[]> consumer) {
    this.consumer = consumer;
    consumer.partitionsAssignedHandler(partitions -> partitions.forEach(p -> assigned.add(toNative(p))));
    consumer.partitionsRevokedHandler(partitions -> {
      Set<TopicPartition> revoked = new HashSet<>();
      partitions.forEach(p -> revoked.add(toNative(p)));
      assigned.removeAll(revoked);
      tracker.forget(revoked);
    });
  }

  /** The partitions this instance owns, as {@code topic-partition}, sorted. */
  List<String> assignedPartitions() {
    return assigned.stream().map(TopicPartition::toString).sorted().toList();
  }

  Future<Void> commitDurable() {
    Map<TopicPartition, Long> offsets = tracker.uncommitted();
    offsets.keySet().retainAll(assigned);
    if (offsets.isEmpty()) {
      return Future.succeededFuture();
    }
    Map<io.vertx.kafka.client.common.TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
    offsets.forEach((partition, offset) -> commit.put(
        new io.vertx.kafka.client.common.TopicPartition(partition.topic(), partition.partition()),
        new OffsetAndMetadata(offset, null)));
    return consumer.commit(commit)
        .onSuccess(v -> {
          tracker.markCommitted(offsets);
          stats.committed();
        })
        .onFailure(failure -> log.warn("Offset commit failed, will retry: {}", failure.toString()))
        .mapEmpty();
  }

  private static TopicPartition toNative(io.vertx.kafka.client.common.TopicPartition partition) {
    return new TopicPartition(partition.getTopic(), partition.getPartition());
  }
}
