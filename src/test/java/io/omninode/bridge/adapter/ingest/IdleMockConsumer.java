package io.omninode.bridge.adapter.ingest;

import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Kafka's {@code MockConsumer} as the consumer verticle's tests need it: waiting a little when it has
 * nothing keeps the poll loop from spinning, it keeps the synchronous commits (MockConsumer reports
 * 0 for a partition no longer assigned), and it counts its polls and the records they returned: a test
 * that asserts nothing more was fetched waits for polls, not for time.
 */
final class IdleMockConsumer extends MockConsumer<byte[], byte[]> {

  final List<Map<TopicPartition, OffsetAndMetadata>> syncCommits = new CopyOnWriteArrayList<>();
  private final AtomicLong polls = new AtomicLong();
  private final AtomicLong fetched = new AtomicLong();

  IdleMockConsumer() {
    super(OffsetResetStrategy.EARLIEST);
  }

  @Override
  public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
    syncCommits.add(Map.copyOf(offsets));
    super.commitSync(offsets);
  }

  @Override
  public ConsumerRecords<byte[], byte[]> poll(Duration timeout) {
    ConsumerRecords<byte[], byte[]> records = super.poll(timeout);
    fetched.addAndGet(records.count());
    polls.incrementAndGet();
    if (records.isEmpty()) {
      try {
        Thread.sleep(5);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return records;
  }

  /** Polls returned so far. */
  long polls() {
    return polls.get();
  }

  /** Records every poll so far returned, together. */
  long fetched() {
    return fetched.get();
  }

  /** The committed offset of {@code partition}, or -1. */
  long committedOffset(TopicPartition partition) {
    OffsetAndMetadata offset = committed(Set.of(partition)).get(partition);
    return offset == null ? -1 : offset.offset();
  }
}
