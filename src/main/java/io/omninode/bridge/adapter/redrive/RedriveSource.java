package io.omninode.bridge.adapter.redrive;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.IntStream;
import java.util.stream.Stream;

/**
 * A dead-letter topic as a redrive finds it when it starts: which incarnation of it (its topic id),
 * and where its letters may go back. Anyone who can write the dead-letter topic can write any
 * {@code original_topic} and {@code original_partition} into a letter, so the destination is the
 * topic this dead-letter topic belongs to, and a letter that names another, or a partition that
 * topic does not have, is refused.
 *
 * @param topicId          the dead-letter topic's id: a topic deleted and created again has another
 * @param partitions       the dead-letter topic's partitions
 * @param target           the topic the letters go back to: the dead-letter topic's name without the suffix
 * @param targetPartitions the target's partitions, 0 when it does not exist
 */
record RedriveSource(String topic, String topicId, int partitions, String target, int targetPartitions) {

  private static final long ADMIN_TIMEOUT_S = 30;

  /** Why a letter is not put back; each is counted under its own key in the summary. */
  enum Refusal {
    OTHER_TOPIC("skipped_other_topic", "names a topic other than the one its dead-letter topic belongs to"),
    MISSING_TOPIC("skipped_missing_topic", "belongs to a topic that does not exist"),
    MISSING_PARTITION("skipped_missing_partition", "names a partition its topic does not have");

    final String key;
    final String meaning;

    Refusal(String key, String meaning) {
      this.key = key;
      this.meaning = meaning;
    }
  }

  /** Null when the letter may go back to {@link #target()}, else why not. */
  Refusal refusal(StoredLetter letter) {
    if (!target.equals(letter.originalTopic())) {
      return Refusal.OTHER_TOPIC;
    }
    if (targetPartitions == 0) {
      return Refusal.MISSING_TOPIC;
    }
    Integer partition = letter.originalPartition();
    return partition == null || partition >= targetPartitions ? Refusal.MISSING_PARTITION : null;
  }

  List<TopicPartition> topicPartitions() {
    return IntStream.range(0, partitions).mapToObj(partition -> new TopicPartition(topic, partition)).toList();
  }

  /**
   * The dead-letter topics as the broker describes them, each with its target (the name without
   * {@code suffix}). One that does not exist is left out, or with {@code mustExist} is an error.
   */
  static Map<String, RedriveSource> describe(Admin admin, List<String> deadLetterTopics, String suffix,
      boolean mustExist) throws InterruptedException, ExecutionException, TimeoutException {
    List<String> targets = deadLetterTopics.stream()
        .map(topic -> topic.substring(0, topic.length() - suffix.length())).toList();
    Map<String, TopicDescription> found = descriptions(admin,
        Stream.concat(deadLetterTopics.stream(), targets.stream()).distinct().toList());
    Map<String, RedriveSource> sources = new LinkedHashMap<>();
    for (int i = 0; i < deadLetterTopics.size(); i++) {
      TopicDescription deadLetters = found.get(deadLetterTopics.get(i));
      if (deadLetters == null && mustExist) {
        throw new IllegalArgumentException("no dead-letter topic '" + deadLetterTopics.get(i) + "' on the broker");
      }
      if (deadLetters != null) {
        TopicDescription target = found.get(targets.get(i));
        sources.put(deadLetters.name(), new RedriveSource(deadLetters.name(), deadLetters.topicId().toString(),
            deadLetters.partitions().size(), targets.get(i), target == null ? 0 : target.partitions().size()));
      }
    }
    return sources;
  }

  /** Those that exist; the Admin client does not create a topic by asking about it, as a consumer may. */
  private static Map<String, TopicDescription> descriptions(Admin admin, List<String> topics)
      throws InterruptedException, ExecutionException, TimeoutException {
    Map<String, TopicDescription> found = new LinkedHashMap<>();
    for (Map.Entry<String, KafkaFuture<TopicDescription>> topic : admin.describeTopics(topics).topicNameValues()
        .entrySet()) {
      try {
        found.put(topic.getKey(), topic.getValue().get(ADMIN_TIMEOUT_S, TimeUnit.SECONDS));
      } catch (ExecutionException e) {
        if (!(e.getCause() instanceof UnknownTopicOrPartitionException)) {
          throw e;
        }
      }
    }
    return found;
  }
}
