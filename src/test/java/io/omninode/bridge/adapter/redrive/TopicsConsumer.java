package io.omninode.bridge.adapter.redrive;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Topics held in memory behind Kafka's {@code MockConsumer}: an assignment serves each partition's
 * records from offset 0 to its end, as a broker would after {@code seekToBeginning}.
 */
final class TopicsConsumer extends MockConsumer<byte[], byte[]> {

  private final Map<TopicPartition, List<ConsumerRecord<byte[], byte[]>>> logs = new HashMap<>();

  TopicsConsumer() {
    super(OffsetResetStrategy.EARLIEST);
  }

  /** Appends records whose offsets continue their partition's log. */
  TopicsConsumer add(List<ConsumerRecord<byte[], byte[]>> records) {
    for (ConsumerRecord<byte[], byte[]> record : records) {
      TopicPartition partition = new TopicPartition(record.topic(), record.partition());
      logs.computeIfAbsent(partition, key -> new ArrayList<>()).add(record);
      updatePartitions(record.topic(), logs.keySet().stream().filter(known -> known.topic().equals(record.topic()))
          .map(known -> new PartitionInfo(known.topic(), known.partition(), null, null, null)).toList());
    }
    return this;
  }

  @Override
  public synchronized void assign(Collection<TopicPartition> partitions) {
    super.assign(partitions);
    for (TopicPartition partition : partitions) {
      List<ConsumerRecord<byte[], byte[]>> log = logs.getOrDefault(partition, List.of());
      updateBeginningOffsets(Map.of(partition, 0L));
      updateEndOffsets(Map.of(partition, log.isEmpty() ? 0L : log.get(log.size() - 1).offset() + 1));
      log.forEach(this::addRecord);
    }
  }
}
