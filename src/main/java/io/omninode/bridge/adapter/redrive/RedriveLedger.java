package io.omninode.bridge.adapter.redrive;

import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The redrive log ({@code kafka.redrive_log_topic}): one marker per dead letter put back, keyed
 * {@code <dead-letter topic>/<partition>/<offset>}, written in the transaction that republishes it, so
 * that a marker exists exactly when its record does. A compacted topic: one marker per key is kept,
 * and a tombstone for a key lets that dead letter be redriven again.
 */
final class RedriveLedger {

  private static final long ADMIN_TIMEOUT_S = 30;
  private static final long LEADER_POLL_MS = 100;

  private final String topic;

  RedriveLedger(String topic) {
    this.topic = topic;
  }

  String topic() {
    return topic;
  }

  /** Creates the log if it is missing (one partition, the broker's replication factor); one that exists will do. */
  void ensureTopic(Admin admin) throws InterruptedException, ExecutionException, TimeoutException {
    NewTopic log = new NewTopic(topic, Optional.of(1), Optional.empty())
        .configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT));
    try {
      admin.createTopics(List.of(log)).all().get(ADMIN_TIMEOUT_S, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (!(e.getCause() instanceof TopicExistsException)) {
        throw e;
      }
    }
    awaitLeader(admin);
  }

  /**
   * A partition just created refuses writes until its leader is known, and a producer's first batch
   * refused so may then arrive after its second, which the broker rejects as out of order.
   */
  private void awaitLeader(Admin admin) throws InterruptedException, TimeoutException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(ADMIN_TIMEOUT_S);
    while (!hasLeader(admin)) {
      if (System.nanoTime() > deadline) {
        throw new TimeoutException("the redrive log " + topic + " has no leader after " + ADMIN_TIMEOUT_S + " s");
      }
      Thread.sleep(LEADER_POLL_MS);
    }
  }

  private boolean hasLeader(Admin admin) throws InterruptedException, TimeoutException {
    try {
      TopicDescription description = admin.describeTopics(List.of(topic)).allTopicNames()
          .get(ADMIN_TIMEOUT_S, TimeUnit.SECONDS).get(topic);
      return description.partitions().stream().allMatch(partition -> partition.leader() != null
          && !partition.leader().isEmpty());
    } catch (ExecutionException notYetKnown) {
      return false;
    }
  }

  /** The keys of the dead letters already redriven, from the committed markers; none while the log does not exist. */
  Set<String> readDone(Consumer<byte[], byte[]> consumer, Runnable afterPoll) {
    Set<String> done = new HashSet<>();
    List<TopicPartition> partitions = partitionsOf(consumer, topic);
    TopicScan.read(consumer, partitions, record -> {
      String key = record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8);
      if (record.value() == null) {
        done.remove(key);
      } else {
        done.add(key);
      }
      return true;
    }, afterPoll);
    return done;
  }

  /** The marker of a letter put back at {@code at}: its key says which, its value what, for a reader of the log. */
  ProducerRecord<byte[], byte[]> marker(StoredLetter letter, Instant at) {
    JsonObject value = new JsonObject()
        .put("redriven_at", at.toString())
        .put("original_topic", letter.originalTopic())
        .put("event_id", letter.eventId())
        .put("error_type", letter.errorType())
        .put("retry_count", letter.nextRetryCount());
    return new ProducerRecord<>(topic, letter.coordinates().getBytes(StandardCharsets.UTF_8),
        value.encode().getBytes(StandardCharsets.UTF_8));
  }

  /** Empty for a topic that does not exist. */
  static List<TopicPartition> partitionsOf(Consumer<byte[], byte[]> consumer, String topic) {
    var partitions = consumer.partitionsFor(topic);
    return partitions == null ? List.of()
        : partitions.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
  }
}
