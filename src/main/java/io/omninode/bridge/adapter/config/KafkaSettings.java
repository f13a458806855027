package io.omninode.bridge.adapter.config;

import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
import org.apache.kafka.clients.producer.ProducerConfig;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Kafka consumer settings. {@code topics} defaults to the bridge nodes' topics under
 * {@code topic_prefix}; {@code client} passes any other client property (TLS, SASL) through;
 * {@code redrive_log_topic} (default {@code <topic_prefix>.redrive.log}) records what the
 * {@code redrive} command has put back.
 */
public record KafkaSettings(
    String bootstrapServers,
    String groupId,
    String topicPrefix,
    List<String> topics,
    String autoOffsetReset,
    int maxPollRecords,
    int maxInFlight,
    long maxInFlightBytes,
    int commitIntervalMs,
    int revocationDrainMs,
    long stuckPartitionMs,
    String deadLetterSuffix,
    int deadLetterPartitions,
    String redriveLogTopic,
    Map<String, Object> client) {

  public static final String READ_COMMITTED = "read_committed";

  /**
   * Small, not the client's 50 MiB: a fetch's records stay on the heap until decoded, read through a
   * direct buffer of this size. Well above the 256 KiB per partition, or the consumer waits on fetches
   * of partitions that have nothing new (docs/performance.md, "The drain").
   */
  private static final int FETCH_MAX_BYTES = 2 * 1024 * 1024;
  private static final int MAX_PARTITION_FETCH_BYTES = 256 * 1024;

  /**
   * How long the broker may hold a fetch that finds nothing new, not the client's 500 ms: the client
   * sends one fetch at a time to a broker, leaving out the partitions whose records it still holds,
   * so a fetch of only empty partitions holds the partitions with data behind it. The price, an idle
   * consumer fetching more often, is measured in docs/performance.md, "The drain".
   */
  private static final int FETCH_MAX_WAIT_MS = 10;

  /** A write to a missing topic fails after this instead of the client's 60 s; the event is retried. */
  private static final int PRODUCER_MAX_BLOCK_MS = 10_000;

  /** Topic suffixes after the prefix, one per (context, event type) the bridge nodes publish. */
  public static final List<String> DEFAULT_TOPIC_SUFFIXES = List.of(
      "orchestrator.workflow-started.v1",
      "orchestrator.workflow-completed.v1",
      "orchestrator.workflow-failed.v1",
      "orchestrator.step-completed.v1",
      "orchestrator.stamp-created.v1",
      "orchestrator.state-transition.v1",
      "reducer.state-transition.v1",
      "reducer.state-aggregation-completed.v1",
      "registry.node-heartbeat.v1");

  public static KafkaSettings from(ConfigReader config) {
    String prefix = config.string("topic_prefix");
    String reset = config.string("auto_offset_reset");
    String deadLetterSuffix = config.string("dead_letter_suffix");
    if (deadLetterSuffix.isBlank()) {
      throw new ConfigException("kafka.dead_letter_suffix", "must not be empty: dead letters would loop back");
    }
    if (!List.of("earliest", "latest", "none").contains(reset)) {
      throw new ConfigException("kafka.auto_offset_reset", "must be earliest, latest or none, got '" + reset + "'");
    }
    return new KafkaSettings(
        config.requiredString("bootstrap_servers"),
        config.string("group_id"),
        prefix,
        Objects.requireNonNullElseGet(config.strings("topics"), () -> defaultTopics(prefix)),
        reset,
        config.integer("max_poll_records", 1, 100_000),
        config.integer("max_in_flight", 1, 1_000_000),
        config.longInteger("max_in_flight_bytes", 1_024, 1L << 40),
        config.integer("commit_interval_ms", 10, 600_000),
        config.integer("revocation_drain_ms", 0, 600_000),
        config.longInteger("stuck_partition_ms", 1_000, 86_400_000),
        deadLetterSuffix,
        config.integer("dead_letter_partitions", 1, 10_000),
        Objects.requireNonNullElse(config.string("redrive_log_topic"), prefix + ".redrive.log"),
        config.object("client"));
  }

  /** The dead-letter topic of a source topic: {@code <topic>.dlq} by default. */
  public String deadLetterTopic(String topic) {
    return topic + deadLetterSuffix;
  }

  /**
   * The consumer's properties: the pass-through ones, then those the adapter's guarantees depend on.
   * Cooperative-sticky assignment unless {@code client} says otherwise: a rebalance then moves only
   * the partitions that change owner, and the others keep flowing. Read-committed unless
   * {@code client} says otherwise: a redrive that was interrupted and aborted is never consumed.
   */
  public Map<String, Object> consumerConfig() {
    Map<String, Object> config = clientConfig();
    config.putIfAbsent(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
    config.putIfAbsent(ConsumerConfig.FETCH_MAX_BYTES_CONFIG, FETCH_MAX_BYTES);
    config.putIfAbsent(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, MAX_PARTITION_FETCH_BYTES);
    config.putIfAbsent(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG, FETCH_MAX_WAIT_MS);
    config.putIfAbsent(ConsumerConfig.ISOLATION_LEVEL_CONFIG, READ_COMMITTED);
    config.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
    config.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, autoOffsetReset);
    config.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    config.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, maxPollRecords);
    return config;
  }

  /** The dead-letter producer's properties: acknowledged by every in-sync replica, idempotent. */
  public Map<String, Object> producerConfig() {
    Map<String, Object> config = clientConfig();
    config.put(ProducerConfig.ACKS_CONFIG, "all");
    config.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
    config.putIfAbsent(ProducerConfig.MAX_BLOCK_MS_CONFIG, PRODUCER_MAX_BLOCK_MS);
    return config;
  }

  /** The {@code redrive} command's producer: one at a time per consumer group, a second one fences the first. */
  public String redriveTransactionalId() {
    return groupId + ".redrive";
  }

  /** The pass-through properties (TLS, SASL...) plus the bootstrap servers, e.g. for an admin client. */
  public Map<String, Object> clientConfig() {
    Map<String, Object> config = new HashMap<>(client);
    config.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    return config;
  }

  public static List<String> defaultTopics(String prefix) {
    return DEFAULT_TOPIC_SUFFIXES.stream().map(suffix -> prefix + "." + suffix).toList();
  }
}
