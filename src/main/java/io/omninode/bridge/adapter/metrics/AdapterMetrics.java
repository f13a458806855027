package io.omninode.bridge.adapter.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * The adapter's own meters, in Prometheus terms: {@code bridge_events_*_total} by event type and
 * outcome, {@code bridge_db_operation_duration_seconds} and {@code bridge_db_batch_size} by operation,
 * {@code bridge_event_latency_seconds} (event timestamp to row committed), in-flight events, consumer
 * lag per partition ({@link PartitionGauges}), the breaker's state, {@code bridge_dead_letter_write_failures_total}
 * and failures by cause ({@link FailureMeters}). Label values are bounded: event types, operations,
 * outcomes, error types, topic partitions, refusal reasons, SQLSTATE classes.
 */
public final class AdapterMetrics {

  static final String CONSUMED = "bridge.events.consumed";
  static final String PROCESSED = "bridge.events.processed";
  static final String RETRIED = "bridge.events.retried";
  static final String OPERATION_DURATION = "bridge.db.operation.duration";
  static final String BATCH_SIZE = "bridge.db.batch.size";
  static final String EVENT_LATENCY = "bridge.event.latency";
  static final String EVENT_STAGE = "bridge.event.stage";
  static final String DEAD_LETTER_WRITE_FAILURES = "bridge.dead.letter.write.failures";
  /** Histogram buckets, 1 ms to 1 min, fine where the targets are: p50/p95/p99 via histogram_quantile(). */
  private static final Duration[] BUCKETS = java.util.stream.LongStream.of(1, 2, 3, 4, 5, 6, 8, 10, 12, 15, 20, 25,
      30, 40, 50, 75, 100, 150, 250, 500, 1_000, 2_500, 5_000, 10_000, 30_000, 60_000)
      .mapToObj(Duration::ofMillis).toArray(Duration[]::new);

  /** Stages are mostly well under a millisecond: finer buckets below one. */
  private static final Duration[] STAGE_BUCKETS = java.util.stream.Stream.concat(
      java.util.stream.LongStream.of(50, 100, 250, 500).mapToObj(Duration::ofNanos).map(d -> d.multipliedBy(1_000)),
      java.util.Arrays.stream(BUCKETS)).toArray(Duration[]::new);

  /** Far beyond any real latency, and within what a timer's nanoseconds can hold. */
  private static final long MAX_LATENCY_MS = TimeUnit.DAYS.toMillis(365L * 100);
  private static final Logger log = LoggerFactory.getLogger(AdapterMetrics.class);

  private final MeterRegistry registry;
  /** Counting never fails what it counts. */
  private final QuietFailures recording = new QuietFailures(log, "Recording a metric");
  private final Map<MeterKey, Counter> counters = new ConcurrentHashMap<>();
  private final Map<MeterKey, Timer> timers = new ConcurrentHashMap<>();
  private final Map<String, DistributionSummary> summaries = new ConcurrentHashMap<>();
  private final PartitionGauges partitions;
  private final FailureMeters failures;

  public AdapterMetrics(MeterRegistry registry) {
    this.registry = registry;
    this.partitions = new PartitionGauges(registry);
    this.failures = new FailureMeters(registry);
  }

  public MeterRegistry registry() {
    return registry;
  }

  /** Statement errors by SQLSTATE class, dead letters by topic. */
  public FailureMeters failures() {
    return failures;
  }

  /**
   * The per-event meters of one event type, resolved once for the hot path. A latency outside what a
   * timer can hold (an event time from year 1) is recorded as the largest one, never thrown.
   */
  public final class EventMeters {
    private final Counter consumed;
    private final Counter persisted;
    private final Counter retried;
    private final Timer latency;

    private EventMeters(Counter consumed, Counter persisted, Counter retried, Timer latency) {
      this.consumed = consumed;
      this.persisted = persisted;
      this.retried = retried;
      this.latency = latency;
    }

    public void consumed() {
      guard(consumed::increment);
    }

    public void retried() {
      guard(retried::increment);
    }

    public void persisted(long latencyMs) {
      guard(() -> {
        persisted.increment();
        latency.record(Math.min(Math.max(0, latencyMs), MAX_LATENCY_MS), TimeUnit.MILLISECONDS);
      });
    }
  }

  /** One stage's timer ({@link #stage}); recording never throws. */
  public final class Stage {
    private final Timer timer;

    private Stage(Timer timer) {
      this.timer = timer;
    }

    public void record(long nanos) {
      guard(() -> timer.record(Math.max(0, nanos), TimeUnit.NANOSECONDS));
    }
  }

  public EventMeters forEventType(String eventType) {
    return new EventMeters(
        counter(CONSUMED, "events read from Kafka", "event_type", eventType),
        counter(PROCESSED, "events finished, by outcome", "event_type", eventType, "outcome", "persisted",
            "error_type", "none"),
        counter(RETRIED, "database attempts that will be retried", "event_type", eventType),
        timer(EVENT_LATENCY, "event timestamp to row committed", false, "event_type", eventType));
  }

  public void consumed(String eventType) {
    guard(() -> counter(CONSUMED, "events read from Kafka", "event_type", eventType).increment());
  }

  /** An event is done: {@code outcome} is persisted or dead_lettered; {@code errorType} is none when persisted. */
  public void processed(String eventType, String outcome, String errorType) {
    guard(() -> counter(PROCESSED, "events finished, by outcome", "event_type", eventType, "outcome", outcome,
        "error_type", errorType).increment());
  }

  /**
   * A dead-letter write refused for good (not retriable): {@code reason} is the exception's simple
   * class name from a fixed set or {@code other}; {@code letter} is {@code letter} or {@code fallback}.
   */
  public void deadLetterWriteFailed(String reason, String letter) {
    guard(() -> counter(DEAD_LETTER_WRITE_FAILURES, "dead-letter writes refused for good", "reason", reason,
        "letter", letter).increment());
  }

  /** One statement (batch) of an operation, by outcome (success, data_error, database_unavailable...). */
  public void operation(String operation, String outcome, long nanos, int events) {
    guard(() -> {
      timer(OPERATION_DURATION, "time of one database statement", true, "operation", operation, "outcome", outcome)
          .record(Math.max(0, nanos), TimeUnit.NANOSECONDS);
      summaries.computeIfAbsent(operation, op -> DistributionSummary.builder(BATCH_SIZE).baseUnit("events")
          .description("events written by one statement").tags("operation", op)
          .serviceLevelObjectives(1, 2, 5, 10, 25, 50, 100, 250, 500, 1_000).register(registry)).record(events);
    });
  }

  /**
   * One stage of an event's life: {@code fetch} (producer to the consumer's poll), {@code dispatch}
   * (poll to the request on the event bus), {@code queue} (request to its statement's start),
   * {@code statement}, {@code reply} (statement's end to the consumer settling the event).
   */
  public Stage stage(String stage) {
    return new Stage(timers.computeIfAbsent(new MeterKey(EVENT_STAGE, List.of("stage", stage)),
        k -> Timer.builder(EVENT_STAGE).description("time an event spends in one stage of its life").tags("stage", stage)
            .serviceLevelObjectives(STAGE_BUCKETS).register(registry)));
  }

  public void gauge(String name, String description, Supplier<Number> value) {
    Gauge.builder(name, value).description(description).register(registry);
  }

  /**
   * Per assigned partition, the age of the oldest record it cannot commit past yet (0 when none):
   * a partition held by one record shows here before anyone asks.
   */
  public void oldestUncommitted(Map<String, Long> msByTopicPartition) {
    guard(() -> partitions.oldestUncommitted(msByTopicPartition));
  }

  /** Replaces the lag series with the partitions currently assigned. */
  public void consumerLag(Map<String, Long> lagByTopicPartition) {
    guard(() -> partitions.lagRecords(lagByTopicPartition));
  }

  /** Per assigned partition, the age of its oldest record not yet durable, 0 when caught up (ms). */
  public void consumerLagSeconds(Map<String, Long> msByTopicPartition) {
    guard(() -> partitions.lagSeconds(msByTopicPartition));
  }

  private void guard(Runnable record) {
    recording.run(record);
  }

  private Counter counter(String name, String description, String... tags) {
    return counters.computeIfAbsent(new MeterKey(name, List.of(tags)), k -> Counter.builder(name)
        .description(description).tags(tags).register(registry));
  }

  /**
   * A histogram timer. Per event, buckets only (quantiles come from histogram_quantile()); per
   * statement also its own p50/p95/p99 for {@code /metrics/summary}: a time-windowed percentile
   * sketch costs a lock and a search per record, too much once per event.
   */
  private Timer timer(String name, String description, boolean percentiles, String... tags) {
    return timers.computeIfAbsent(new MeterKey(name, List.of(tags)), k -> {
      Timer.Builder builder = Timer.builder(name).description(description).tags(tags).serviceLevelObjectives(BUCKETS);
      return (percentiles ? builder.publishPercentiles(0.5, 0.95, 0.99) : builder).register(registry);
    });
  }

  /** Meters by name and tag values, found without building strings on the hot path. */
  private record MeterKey(String name, List<String> tags) {
  }
}
