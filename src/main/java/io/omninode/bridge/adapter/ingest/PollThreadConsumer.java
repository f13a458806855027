package io.omninode.bridge.adapter.ingest;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the adapter does on Kafka's poll thread, the only thread that may touch the native consumer:
 * <ul>
 *   <li>fetching stops and resumes by pausing every assigned partition, never by stopping the
 *       poll loop (the group would evict us after {@code max.poll.interval.ms});</li>
 *   <li>partitions given or taken go to the {@link PartitionLedger} at once; those taken away first
 *       get their durable offsets committed, synchronously, before they move;</li>
 *   <li>each poll's records carry the poll's number ({@link Fetched}), so that records fetched
 *       before a partition became ours again are told apart.</li>
 * </ul>
 * Vert.x's consumer runs the poll loop; it is given {@link #consumer()}, the wrapped consumer (a
 * real one, or Kafka's {@code MockConsumer} in tests) in which only {@code poll} and
 * {@code subscribe} are changed.
 */
final class PollThreadConsumer {

  private static final Logger log = LoggerFactory.getLogger(PollThreadConsumer.class);
  /** The lag is read at most this often: polls come by the hundred a second, and it is sampled once a second. */
  private static final long LAG_INTERVAL_NANOS = 200_000_000;

  /** One poll's records, the poll's number, and when it returned (wall clock and monotonic). */
  static final class Fetched extends ConsumerRecords<byte[], byte[]> {
    final long poll;
    final long polledAtMillis = System.currentTimeMillis();
    final long polledAtNanos = System.nanoTime();

    private Fetched(Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> records, long poll) {
      super(records);
      this.poll = poll;
    }
  }

  private final Consumer<byte[], byte[]> delegate;
  private final PartitionLedger ledger;
  private final long revocationWaitMs;
  private final Consumer<byte[], byte[]> proxy;
  private volatile boolean fetching = true;
  private volatile Map<String, Long> lag = Map.of();
  /** Polls so far; the last one is in progress while its rebalance callbacks run. */
  private long polls;
  private long lagRecordedAt;

  @SuppressWarnings("unchecked")
  PollThreadConsumer(Consumer<byte[], byte[]> delegate, PartitionLedger ledger, long revocationWaitMs) {
    this.delegate = delegate;
    this.ledger = ledger;
    this.revocationWaitMs = revocationWaitMs;
    this.proxy = (Consumer<byte[], byte[]>) Proxy.newProxyInstance(Consumer.class.getClassLoader(),
        new Class<?>[] {Consumer.class}, this::invoke);
  }

  Consumer<byte[], byte[]> consumer() {
    return proxy;
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

  /** Records behind the log end per assigned partition ({@code topic-partition}), as of the last poll. */
  Map<String, Long> lag() {
    return lag;
  }

  private Object invoke(Object target, Method method, Object[] args) throws Throwable {
    if (method.getName().equals("poll") && args.length == 1 && args[0] instanceof Duration timeout) {
      return poll(timeout);
    }
    if (method.getName().equals("subscribe") && args.length == 2 && args[0] instanceof Collection<?> topics
        && args[1] instanceof ConsumerRebalanceListener listener) {
      delegate.subscribe(topics.stream().map(String::valueOf).toList(), new Rebalance(listener));
      return null;
    }
    try {
      return method.invoke(delegate, args);
    } catch (InvocationTargetException thrown) {
      throw thrown.getCause();
    }
  }

  private ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
    long poll = ++polls;
    if (!fetching) {
      delegate.pause(delegate.assignment());
    } else if (!delegate.paused().isEmpty()) {
      delegate.resume(delegate.paused());
    }
    ConsumerRecords<byte[], byte[]> records = delegate.poll(timeout);
    long now = System.nanoTime();
    if (now - lagRecordedAt > LAG_INTERVAL_NANOS) {
      lagRecordedAt = now;
      recordLag();
    }
    if (records.isEmpty()) {
      return records;
    }
    Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> byPartition = new HashMap<>();
    records.partitions().forEach(partition -> byPartition.put(partition, records.records(partition)));
    return new Fetched(byPartition, poll);
  }

  private void recordLag() {
    Map<String, Long> now = new HashMap<>();
    for (TopicPartition partition : delegate.assignment()) {
      delegate.currentLag(partition).ifPresent(behind -> now.put(partition.toString(), behind));
    }
    lag = Map.copyOf(now);
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
