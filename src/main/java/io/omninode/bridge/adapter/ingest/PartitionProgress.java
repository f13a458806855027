package io.omninode.bridge.adapter.ingest;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * What is durable per partition, published by the event loop and read by the Kafka poll thread
 * when partitions are revoked: there the durable offsets must be committed synchronously,
 * before the partitions move to another consumer.
 */
final class PartitionProgress {

  private record State(long committable, int pending) {
  }

  private final Map<TopicPartition, State> states = new ConcurrentHashMap<>();
  private final Object drained = new Object();
  private volatile int waiters;

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
