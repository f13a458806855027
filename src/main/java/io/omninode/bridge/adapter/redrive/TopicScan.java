package io.omninode.bridge.adapter.redrive;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;

import java.time.Duration;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads partitions from their beginning to their end as of the start of the read, by assignment (no
 * consumer group, nothing committed): what arrives meanwhile is left for another run. With a
 * read-committed consumer the end is the last stable offset, so an open transaction is not waited for.
 */
final class TopicScan {

  private static final Duration POLL = Duration.ofMillis(500);

  /** Sees one record; false stops the read. */
  interface Visitor {
    boolean visit(ConsumerRecord<byte[], byte[]> record);
  }

  private TopicScan() {
  }

  /** Returns once every partition was read to its end, or the visitor said stop. */
  static void read(Consumer<byte[], byte[]> consumer, Collection<TopicPartition> partitions, Visitor visitor,
      Runnable afterPoll) {
    consumer.assign(partitions);
    consumer.seekToBeginning(partitions);
    Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
    Set<TopicPartition> reading = new HashSet<>(partitions);
    reading.removeIf(partition -> reachedEnd(consumer, partition, end));
    while (!reading.isEmpty()) {
      for (ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL)) {
        TopicPartition partition = new TopicPartition(record.topic(), record.partition());
        if (record.offset() < end.get(partition) && !visitor.visit(record)) {
          return;
        }
      }
      afterPoll.run();
      List<TopicPartition> done = reading.stream().filter(partition -> reachedEnd(consumer, partition, end)).toList();
      consumer.pause(done);
      done.forEach(reading::remove);
    }
  }

  private static boolean reachedEnd(Consumer<byte[], byte[]> consumer, TopicPartition partition,
      Map<TopicPartition, Long> end) {
    return consumer.position(partition) >= end.getOrDefault(partition, 0L);
  }
}
