package io.omninode.bridge.adapter.ingest;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * What the adapter does on Kafka's poll thread, the only thread that may touch the native consumer:
 * <ul>
 *   <li>fetching stops and resumes by pausing every assigned partition, never by stopping the
 *       poll loop (the group would evict us after {@code max.poll.interval.ms});</li>
 *   <li>partitions given or taken go to the {@link PartitionLedger} at once; those taken away first
 *       get their durable offsets committed, synchronously, before they move;</li>
 *   <li>each poll's records are stamped with the poll's number ({@link Poll}), so that records
 *       fetched before a partition became ours again are told apart;</li>
 *   <li>after each poll the {@link LagSampler} may read the lag.</li>
 * </ul>
 * Vert.x's consumer runs the poll loop on this consumer, which forwards every call to the real one
 * (or to Kafka's {@code MockConsumer} in tests) but for {@code poll} and {@code subscribe}: written
 * out, so that the compiler sees the hooks, and none is reached by name.
 */
final class PollThreadConsumer extends ForwardingConsumer<byte[], byte[]> {

  private static final Logger log = LoggerFactory.getLogger(PollThreadConsumer.class);
  /** For a subscription without a listener of the caller's: the adapter's hooks still run. */
  private static final ConsumerRebalanceListener NO_LISTENER = new ConsumerRebalanceListener() {
    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    }
  };

  /** One poll: its number, and when it returned (wall clock and monotonic). */
  record Poll(long number, long atMillis, long atNanos) {
  }

  private final Consumer<byte[], byte[]> delegate;
  private final PartitionLedger ledger;
  private final long revocationWaitMs;
  private final LagSampler lag;
  /** The polls whose records Vert.x has not handed over yet, by the records' identity. */
  private final Map<ConsumerRecords<byte[], byte[]>, Poll> stamps = Collections.synchronizedMap(new IdentityHashMap<>());
  private volatile boolean fetching = true;
  /** Polls so far; the last one is in progress while its rebalance callbacks run. */
  private long polls;

  /** {@code lag} is read after each poll, where the native consumer may be touched. */
  PollThreadConsumer(Consumer<byte[], byte[]> delegate, PartitionLedger ledger, long revocationWaitMs, LagSampler lag) {
    super(delegate);
    this.delegate = delegate;
    this.ledger = ledger;
    this.revocationWaitMs = revocationWaitMs;
    this.lag = lag;
  }

  /**
   * The poll that fetched {@code records}, once: Vert.x hands a poll's records to the batch handler
   * as they were returned. Throws when they did not come from {@link #poll(Duration)}.
   */
  Poll pollOf(ConsumerRecords<byte[], byte[]> records) {
    Poll poll = stamps.remove(records);
    if (poll == null) {
      throw new IllegalStateException("records that did not come through PollThreadConsumer.poll: the poll hook was bypassed");
    }
    return poll;
  }

  /** Stop fetching: takes effect at the next poll; records already fetched are still delivered. */
  void stopFetching() {
    fetching = false;
  }

  /** Fetch again, without waiting for the current poll's timeout. */
  void resumeFetching() {
    fetching = true;
    delegate.wakeup();
  }

  boolean isFetching() {
    return fetching;
  }

  @Override
  public void subscribe(Collection<String> topics, ConsumerRebalanceListener listener) {
    delegate.subscribe(topics, new Rebalance(listener));
  }

  @Override
  public void subscribe(Collection<String> topics) {
    subscribe(topics, NO_LISTENER);
  }

  @Override
  public void subscribe(Pattern pattern, ConsumerRebalanceListener listener) {
    delegate.subscribe(pattern, new Rebalance(listener));
  }

  @Override
  public void subscribe(Pattern pattern) {
    subscribe(pattern, NO_LISTENER);
  }

  @Override
  @Deprecated
  public ConsumerRecords<byte[], byte[]> poll(long timeoutMs) {
    return poll(Duration.ofMillis(timeoutMs));
  }

  @Override
  public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
    long poll = ++polls;
    if (!fetching) {
      delegate.pause(delegate.assignment());
    } else if (!delegate.paused().isEmpty()) {
      delegate.resume(delegate.paused());
    }
    ConsumerRecords<byte[], byte[]> records = delegate.poll(timeout);
    lag.read(delegate);
    if (!records.isEmpty()) {
      stamps.put(records, new Poll(poll, System.currentTimeMillis(), System.nanoTime()));
    }
    return records;
  }

  /** Runs inside {@code poll}, on the poll thread, before Vert.x's own listener. */
  private final class Rebalance implements ConsumerRebalanceListener {
    private final ConsumerRebalanceListener vertx;

    Rebalance(ConsumerRebalanceListener vertx) {
      this.vertx = vertx;
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
      if (!partitions.isEmpty()) {
        commitBeforeLeaving(partitions);
      }
      vertx.onPartitionsRevoked(partitions);
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
      ledger.assigned(partitions, polls);
      if (!fetching) {
        delegate.pause(partitions);
      }
      vertx.onPartitionsAssigned(partitions);
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> partitions) {
      ledger.lost(partitions);
      vertx.onPartitionsLost(partitions);
    }
  }

  private void commitBeforeLeaving(Collection<TopicPartition> partitions) {
    try {
      Map<TopicPartition, OffsetAndMetadata> offsets = ledger.revoked(partitions, revocationWaitMs);
      if (!offsets.isEmpty()) {
        commitSyncThroughWakeup(offsets);
      }
      log.atInfo().addKeyValue("partitions", partitions.size()).addKeyValue("committed", offsets.size())
          .log("Partitions revoked after committing their durable offsets");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (RuntimeException e) {
      // not fatal: the next owner replays from the last commit, and writes are idempotent
      log.atWarn().addKeyValue("partitions", partitions.toString()).log("Commit on revocation failed: {}", e.toString());
    }
  }

  /** A resume may have woken the consumer meanwhile; the commit must not be lost to that. */
  private void commitSyncThroughWakeup(Map<TopicPartition, OffsetAndMetadata> offsets) {
    try {
      delegate.commitSync(offsets);
    } catch (WakeupException woken) {
      delegate.commitSync(offsets);
    }
  }
}
