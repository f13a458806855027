package io.omninode.bridge.adapter.ingest;

import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * The native consumer under vertx-kafka-client, with two things Vert.x's wrapper cannot do from
 * the event loop, both done on the poll thread:
 * <ul>
 *   <li>holding: pausing every assigned partition (rather than stopping the poll loop, which would
 *       make the group evict us after {@code max.poll.interval.ms}) while too much is in flight;</li>
 *   <li>committing the durable offsets of revoked partitions synchronously, before they move,
 *       after waiting (up to {@code revocation_drain_ms}) for their events in flight.</li>
 * </ul>
 */
final class FlowControlledConsumer extends KafkaConsumer<byte[], byte[]> {

  private static final Logger log = LoggerFactory.getLogger(FlowControlledConsumer.class);

  private final PartitionProgress progress;
  private final long revocationDrainMs;
  private volatile Map<String, Long> lag = Map.of();
  private volatile boolean holding;

  FlowControlledConsumer(Map<String, Object> config, PartitionProgress progress, long revocationDrainMs) {
    super(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    this.progress = progress;
    this.revocationDrainMs = revocationDrainMs;
  }

  /** Stop fetching (takes effect at the next poll; records already fetched are still delivered). */
  void hold() {
    holding = true;
  }

  /** Fetch again, without waiting for the current poll's timeout. */
  void release() {
    holding = false;
    wakeup();
  }

  boolean isHolding() {
    return holding;
  }

  @Override
  public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
    if (holding) {
      pause(assignment());
    } else if (!paused().isEmpty()) {
      resume(paused());
    }
    ConsumerRecords<byte[], byte[]> records = super.poll(timeout);
    recordLag();
    return records;
  }

  /** Records behind the log end per assigned partition ({@code topic-partition}), as the client last knew it. */
  Map<String, Long> lag() {
    return lag;
  }

  private void recordLag() {
    Map<String, Long> now = new HashMap<>();
    for (TopicPartition partition : assignment()) {
      currentLag(partition).ifPresent(behind -> now.put(partition.toString(), behind));
    }
    lag = Map.copyOf(now);
  }

  @Override
  public void subscribe(Collection<String> topics, ConsumerRebalanceListener vertxListener) {
    super.subscribe(topics, new ConsumerRebalanceListener() {
      @Override
      public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
        progress.disown(partitions);
        commitDurable(partitions);
        vertxListener.onPartitionsRevoked(partitions);
      }

      @Override
      public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
        progress.own(partitions);
        if (holding) {
          pause(partitions);
        }
        vertxListener.onPartitionsAssigned(partitions);
      }

      @Override
      public void onPartitionsLost(Collection<TopicPartition> partitions) {
        progress.disown(partitions);
        progress.forget(partitions);
        vertxListener.onPartitionsLost(partitions);
      }
    });
  }

  private void commitDurable(Collection<TopicPartition> partitions) {
    if (partitions.isEmpty()) {
      return;
    }
    try {
      Map<TopicPartition, OffsetAndMetadata> offsets = progress.awaitDurable(partitions, revocationDrainMs);
      if (!offsets.isEmpty()) {
        commitWithRetryOnWakeup(offsets);
      }
      log.atInfo().addKeyValue("partitions", partitions.size()).addKeyValue("committed", offsets.size())
          .log("Partitions revoked after committing their durable offsets");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // not fatal: the next owner replays from the last commit, and writes are idempotent
      log.atWarn().addKeyValue("partitions", partitions.toString()).log("Commit on revocation failed: {}", e.toString());
    } finally {
      progress.forget(partitions);
    }
  }

  private void commitWithRetryOnWakeup(Map<TopicPartition, OffsetAndMetadata> offsets) {
    try {
      commitSync(offsets);
    } catch (WakeupException woken) {
      commitSync(offsets);
    }
  }
}
