package io.omninode.bridge.adapter.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Failures by cause: {@code bridge_statement_errors_total} by operation and SQLSTATE class,
 * {@code bridge_dead_letters_total} by dead-letter topic and error type, and
 * {@code bridge_dead_letter_last_timestamp_seconds} per dead-letter topic. Label values are
 * bounded: operations, two-character SQLSTATE classes, the configured topics, error types.
 */
public final class FailureMeters {

  static final String STATEMENT_ERRORS = "bridge.statement.errors";
  static final String DEAD_LETTERS = "bridge.dead.letters";
  static final String DEAD_LETTER_LAST = "bridge.dead.letter.last.timestamp";
  private static final Logger log = LoggerFactory.getLogger(FailureMeters.class);

  private final MeterRegistry registry;
  private final QuietFailures recording = new QuietFailures(log, "Recording a failure metric");
  private final Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> lastLetterMs = new ConcurrentHashMap<>();

  FailureMeters(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A statement PostgreSQL (or the way to it) failed: {@code sqlStateClass} is two characters, or {@code none}. */
  public void statementFailed(String operation, String sqlStateClass) {
    recording.run(() -> counter(STATEMENT_ERRORS, "statements that failed, by SQLSTATE class",
        "operation", operation, "sqlstate_class", sqlStateClass).increment());
  }

  /**
   * Shows every dead-letter topic and error type at 0 from the start, so that {@code rate()} and
   * {@code increase()} see the first letter too.
   */
  public void expectDeadLetters(Collection<String> topics, Collection<String> errorTypes) {
    recording.run(() -> topics.forEach(topic -> errorTypes.forEach(type -> deadLetterCounter(topic, type))));
  }

  /** The broker has a dead letter of {@code errorType} on {@code topic}, now. */
  public void deadLettered(String topic, String errorType) {
    recording.run(() -> {
      deadLetterCounter(topic, errorType).increment();
      lastLetterMs.computeIfAbsent(topic, this::lastLetterGauge).set(System.currentTimeMillis());
    });
  }

  private Counter deadLetterCounter(String topic, String errorType) {
    return counter(DEAD_LETTERS, "dead letters written, by dead-letter topic and error type",
        "topic", topic, "error_type", errorType);
  }

  private AtomicLong lastLetterGauge(String topic) {
    AtomicLong ms = new AtomicLong();
    Gauge.builder(DEAD_LETTER_LAST, ms, value -> value.get() / 1_000.0).baseUnit("seconds").tags("topic", topic)
        .description("when the newest dead letter of this topic was written (Unix time); absent before the first")
        .register(registry);
    return ms;
  }

  private Counter counter(String name, String description, String... tags) {
    List<String> key = new ArrayList<>(List.of(tags));
    key.add(0, name);
    return counters.computeIfAbsent(key, k -> Counter.builder(name).description(description).tags(tags)
        .register(registry));
  }
}
