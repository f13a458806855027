package io.omninode.bridge.adapter.redrive;

import io.vertx.core.buffer.Buffer;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The redrive log ({@code kafka.redrive_log_topic}): one marker per dead letter put back, keyed
 * {@code <dead-letter topic>/<topic id>/<partition>/<offset>}, written in the transaction that
 * republishes it, so that a marker exists exactly when its record does. The topic id tells the
 * incarnations of a dead-letter topic apart: one deleted and created again starts at offset 0 again.
 * A compacted topic: one marker per key is kept, and a tombstone for a key lets that dead letter be
 * redriven again.
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

  /** The dead letters already redriven, from the committed markers; none while the log does not exist. */
  Markers readDone(Consumer<byte[], byte[]> consumer, Runnable afterPoll) {
    Markers done = new Markers();
    TopicScan.read(consumer, partitionsOf(consumer, topic), record -> {
      done.apply(record.key() == null ? "" : new String(record.key(), StandardCharsets.UTF_8), record.value());
      return true;
    }, afterPoll);
    return done;
  }

  /** The marker of a letter put back at {@code at}: its key says which, its value what, for a reader of the log. */
  ProducerRecord<byte[], byte[]> marker(StoredLetter letter, String topicId, Instant at) {
    JsonObject value = new JsonObject()
        .put("redriven_at", at.toString())
        .put("original_topic", letter.originalTopic())
        .put("event_id", letter.eventId())
        .put("error_type", letter.errorType())
        .put("retry_count", letter.nextRetryCount());
    return new ProducerRecord<>(topic, key(letter, topicId).getBytes(StandardCharsets.UTF_8),
        value.encode().getBytes(StandardCharsets.UTF_8));
  }

  /** Topic names and topic ids hold no {@code /}: the four parts cannot be confused, nor with a key of three. */
  static String key(StoredLetter letter, String topicId) {
    return letter.record().topic() + "/" + topicId + "/" + letter.record().partition() + "/" + letter.record().offset();
  }

  /** Empty for a topic that does not exist. */
  static List<TopicPartition> partitionsOf(Consumer<byte[], byte[]> consumer, String topic) {
    var partitions = consumer.partitionsFor(topic);
    return partitions == null ? List.of()
        : partitions.stream().map(info -> new TopicPartition(info.topic(), info.partition())).toList();
  }

  /**
   * What the log holds. A marker of the first key format, {@code <dead-letter topic>/<partition>/<offset>}
   * without the topic id, covers the letter at those coordinates only if the letter's timestamp is no
   * later than the marker's {@code redriven_at} and the letter carries the marker's {@code event_id}.
   * The letter it was written for qualifies: it was put back after it was written (were the adapter's
   * clock ahead of the redrive's by more than the time in between, it would be put back once more,
   * which the idempotent writes absorb). A letter of the topic deleted and created again does not: it
   * was written after the topic was created again, so after the marker (unless the adapter's clock is
   * behind by more than that, and the letter is of the same event). A legacy marker whose
   * {@code redriven_at} cannot be read covers nothing.
   */
  static final class Markers {

    private final Set<String> keys = new HashSet<>();
    private final Map<String, Legacy> legacy = new HashMap<>();

    private record Legacy(long redrivenAtMs, String eventId) {
    }

    /** A later record of a key replaces the earlier one, as compaction would; a null value is a tombstone. */
    void apply(String key, byte[] value) {
      if (key.split("/", -1).length != 3) {
        if (value == null) {
          keys.remove(key);
        } else {
          keys.add(key);
        }
        return;
      }
      legacy.remove(key);
      Legacy marker = value == null ? null : legacyOf(value);
      if (marker != null) {
        legacy.put(key, marker);
      }
    }

    boolean cover(StoredLetter letter, String topicId) {
      if (keys.contains(key(letter, topicId))) {
        return true;
      }
      Legacy marker = legacy.get(letter.coordinates());
      return marker != null && letter.record().timestamp() <= marker.redrivenAtMs()
          && Objects.equals(marker.eventId(), letter.eventId());
    }

    int size() {
      return keys.size() + legacy.size();
    }

    private static Legacy legacyOf(byte[] value) {
      try {
        JsonObject marker = new JsonObject(Buffer.buffer(value));
        return new Legacy(Instant.parse(marker.getString("redriven_at")).toEpochMilli(),
            marker.getValue("event_id") instanceof String eventId ? eventId : null);
      } catch (RuntimeException unreadable) {
        return null;
      }
    }
  }
}
