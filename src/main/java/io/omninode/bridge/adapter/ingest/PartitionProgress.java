package io.omninode.bridge.adapter.ingest;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What is durable per partition, published by the event loop and read by the Kafka poll thread
 * when partitions are revoked: there the durable offsets must be committed synchronously,
 * before the partitions move to another consumer. Also which partitions are still ours, so that
 * records fetched before a revocation and delivered after it are left to the next owner.
 */
final class PartitionProgress {

  private record State(long committable, int pending) {
  }

  private final Map<TopicPartition, State> states = new ConcurrentHashMap<>();
  private final Set<TopicPartition> owned = new HashSet<>(); // guarded by this
  private final Object drained = new Object();
  private volatile int waiters;

  /** Partitions assigned to this consumer (poll thread). */
  synchronized void own(Collection<TopicPartition> partitions) {
    owned.addAll(partitions);
  }

  /** Partitions revoked or lost (poll thread): from now on none of their records is admitted. */
  synchronized void disown(Collection<TopicPartition> partitions) {
    owned.removeAll(partitions);
  }

  /**
   * Admits a record of {@code partition} (event loop) if the partition is still ours, counting it
   * in flight at once so that a revocation from here on waits for it. False: the partition has
   * moved, its next owner reads the record.
   */
  synchronized boolean admit(TopicPartition partition) {
    if (!owned.contains(partition)) {
      return false;
    }
    State state = states.get(partition);
    if (state == null || state.pending() == 0) {
      states.put(partition, new State(state == null ? -1 : state.committable(), 1));
    }
    return true;
  }

  /** The durable offset and the number of records in flight of a partition, after each one finishes (event loop). */
  void publish(TopicPartition partition, long committable, int pending) {
    states.put(partition, new State(committable, pending));
    if (waiters > 0 && pending == 0) {
      synchronized (drained) {
        drained.notifyAll();
      }
    }
  }

  /**
   * Waits up to {@code timeoutMs} for the events in flight of {@code partitions} to finish, then
   * returns the offsets that are durable (whatever is still in flight is abandoned: replayed by the
   * next owner, which idempotent writes make harmless).
   */
  Map<TopicPartition, OffsetAndMetadata> awaitDurable(Collection<TopicPartition> partitions, long timeoutMs)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000;
    synchronized (drained) {
      waiters++;
      try {
        long left;
        while (!isDrained(partitions) && (left = deadline - System.nanoTime()) > 0) {
          drained.wait(Math.max(1, left / 1_000_000));
        }
      } finally {
        waiters--;
      }
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    for (TopicPartition partition : partitions) {
      State state = states.get(partition);
      if (state != null && state.committable() >= 0) {
        offsets.put(partition, new OffsetAndMetadata(state.committable()));
      }
    }
    return offsets;
  }

  void forget(Collection<TopicPartition> partitions) {
    partitions.forEach(states::remove);
  }

  private boolean isDrained(Collection<TopicPartition> partitions) {
    return partitions.stream().allMatch(partition -> {
      State state = states.get(partition);
      return state == null || state.pending() == 0;
    });
  }
}
