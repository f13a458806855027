package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.contract.ErrorType;
import io.omninode.bridge.adapter.contract.EventType;
import io.omninode.bridge.adapter.testsupport.AdapterProcess;
import io.omninode.bridge.adapter.testsupport.TestEnvironment;
import io.omninode.bridge.adapter.testsupport.TestEvents;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.HttpResponse;
import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.omninode.bridge.adapter.testsupport.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Against the adapter as operators run it (its own JVM, the launcher's metrics, the shipped JSON logging). */
@DisplayName("Health, metrics and logs an operator can trust")
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ObservabilityIT {

  /** One sample line of the Prometheus text format: name, optional labels, value. */
  private static final Pattern SAMPLE = Pattern.compile(
      "^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{[^}]*})? (-?[0-9.]+(?:[eE][-+]?[0-9]+)?|NaN|[+-]Inf)(?: [0-9]+)?$");

  private static AdapterFixture fixture;
  private static AdapterProcess adapter;
  private static List<TestEvents.Event> events;
  private static UUID rejectedCorrelation;
  private static String role;
  private static String password;
  private static long startedAtMs;

  @BeforeAll
  static void startAdapter() throws Exception {
    fixture = new AdapterFixture("observability");
    // a login of its own with a password nobody would write by chance, to look for it in the logs
    role = "observer_" + UUID.randomUUID().toString().substring(0, 8);
    password = "Obs3rv-" + UUID.randomUUID();
    TestEnvironment.executeOnServer("CREATE ROLE " + role + " LOGIN PASSWORD '" + password + "'");
    TestEnvironment.executeOnServer("ALTER DATABASE " + fixture.database + " OWNER TO " + role);
    // a statement that waits on a lock fails after a second, with SQLSTATE 55P03
    TestEnvironment.executeOnServer("ALTER ROLE " + role + " SET lock_timeout = '1s'");
    fixture.config.getJsonObject("database").put("user", role).put("password", password);
    fixture.config.put("resilience", new JsonObject().put("breaker_reset_timeout_ms", 2_000));
    startedAtMs = System.currentTimeMillis();
    adapter = fixture.startProcess("observability", Map.of("BRIDGE_LOG_EVENTS", "DEBUG"));
    events = TestEvents.mixedWorkload(300, 23);
    rejectedCorrelation = UUID.randomUUID();
    TestEvents.Event bad = TestEvents.stepCompleted(rejectedCorrelation, "bad", 1, T0);
    bad.envelope().getJsonObject("payload").getJsonObject("workflow_step_data").put("workflow_id", "not-a-uuid");
    List<TestEvents.Event> all = new ArrayList<>(events);
    all.add(bad);
    fixture.topics.produce(all);
    Map<String, Long> expected = Expected.rowCounts(events);
    await().atMost(Duration.ofMinutes(1)).until(fixture.snapshots::counts, expected::equals);
  }

  @AfterAll
  static void stopAdapter() throws Exception {
    TestEnvironment.executeOnServer("ALTER DATABASE " + fixture.database + " ALLOW_CONNECTIONS true");
    adapter.close();
    fixture.close();
    TestEnvironment.executeOnServer("DROP ROLE IF EXISTS " + role);
  }

  @Test
  @Order(1)
  @DisplayName("/metrics is Prometheus text whose counters match the events sent, with a populated latency histogram")
  void metricsMatchTheEventsSent() throws Exception {
    Map<String, Double> expectedTotals = Map.of(
        "bridge_events_consumed_total", events.size() + 1.0,
        "bridge_events_processed_total{outcome=persisted}", (double) events.size(),
        "bridge_events_processed_total{outcome=dead_lettered}", 1.0,
        "bridge_event_latency_seconds_count", (double) events.size());
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      String text = adapter.get("/metrics").body();
      expectedTotals.forEach((series, total) -> assertThat(sum(text, series)).as(series).isEqualTo(total));
    });

    String text = adapter.get("/metrics").body();
    for (String line : text.split("\n")) {
      assertThat(line.isEmpty() || line.startsWith("#") || SAMPLE.matcher(line).matches()).as(line).isTrue();
    }
    assertThat(sum(text, "bridge_event_latency_seconds_bucket")).isPositive();
    assertThat(sum(text, "bridge_db_operation_duration_seconds_count")).isPositive();
    assertThat(text).contains("bridge_db_operation_duration_seconds_bucket{", "le=\"0.01\"", "bridge_db_batch_size_events",
        "bridge_events_in_flight", "bridge_consumer_lag_records{", "bridge_circuit_breaker_state 0.0",
        "vertx_eventbus_", "vertx_pool_", "vertx_http_server_", "jvm_memory_used_bytes");
  }

  @Test
  @Order(2)
  @DisplayName("/metrics/summary gives the seed's JSON view")
  void summaryGivesTheSeedsView() throws Exception {
    JsonObject summary = new JsonObject(adapter.get("/metrics/summary").body());

    assertThat(summary.fieldNames()).contains("operations_by_type", "avg_execution_times", "error_rate",
        "pool_efficiency", "p95_execution_times");
    long written = summary.getJsonObject("operations_by_type").stream()
        .mapToLong(entry -> ((Number) entry.getValue()).longValue()).sum();
    assertThat(written).as("every persisted event went through a statement").isGreaterThanOrEqualTo(events.size());
    assertThat(summary.getJsonObject("p95_execution_times").fieldNames()).contains("persist_workflow_step");
  }

  @Test
  @Order(3)
  @DisplayName("log lines are JSON objects and carry the correlation id of the event that caused them")
  void logLinesAreJsonWithCorrelationIds() throws Exception {
    String persistedCorrelation = events.stream().map(event -> event.envelope().getString("correlation_id"))
        .filter(java.util.Objects::nonNull).findFirst().orElseThrow();
    List<JsonObject> lines = adapter.logLines();

    assertThat(lines).anySatisfy(line -> {
      assertThat(line.getString("message")).isEqualTo("Event persisted");
      assertThat(line.getString("correlation_id")).isEqualTo(persistedCorrelation);
      assertThat(line.getString("operation")).isNotBlank();
      assertThat(line.getString("performance_category")).isIn("FAST", "SLOW", "VERY_SLOW");
      assertThat(line.getValue("duration_ms")).isInstanceOf(Number.class);
    });
    assertThat(lines).anySatisfy(line -> {
      assertThat(line.getString("level")).isEqualTo("ERROR");
      assertThat(line.getString("correlation_id")).isEqualTo(rejectedCorrelation.toString());
      assertThat(line.getString("error_type")).isEqualTo("VALIDATION_ERROR");
    });
    assertThat(adapter.output()).as("the connection settings are logged").contains(role + "@")
        .as("but never the password").doesNotContain(password);
  }

  @Test
  @Order(4)
  @DisplayName("a locked table shows as lag in seconds on its topic, as statement errors of class 55 and in the slow line; then 0 again")
  void lockedTableShowsAsLagInSecondsAndStatementErrors() throws Exception {
    String steps = TestEvents.topic(fixture.topicPrefix, EventType.STEP_COMPLETED);
    String heartbeats = TestEvents.topic(fixture.topicPrefix, EventType.NODE_HEARTBEAT);
    UUID workflow = UUID.fromString(fixture.db.rows("SELECT id FROM workflow_executions LIMIT 1").get(0).get("id"));
    long before = fixture.db.count("workflow_steps");
    List<TestEvents.Event> held = new ArrayList<>();
    for (int i = 1; i <= 12; i++) {
      held.add(TestEvents.stepCompleted(workflow, "held-" + i, 100 + i, T0));
    }

    try (Connection lock = fixture.db.lockTable("workflow_steps")) {
      fixture.topics.produce(held);
      await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
        String text = adapter.get("/metrics").body();
        assertThat(values(text, "bridge_consumer_lag_seconds", "topic=\"" + steps + "\""))
            .as("the held topic's partitions").anyMatch(seconds -> seconds >= 2.0);
        assertThat(values(text, "bridge_consumer_lag_seconds", "topic=\"" + heartbeats + "\""))
            .as("a topic with nothing held").isNotEmpty().allMatch(seconds -> seconds == 0.0);
        assertThat(values(text, "bridge_statement_errors_total", "operation=\"persist_workflow_step\"",
            "sqlstate_class=\"55\"")).singleElement().satisfies(errors -> assertThat(errors).isGreaterThanOrEqualTo(2.0));
      });
      printExcerpt(adapter.get("/metrics").body(), "while workflow_steps is locked");
    }

    await().atMost(Duration.ofSeconds(60)).until(() -> fixture.db.count("workflow_steps") == before + held.size());
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() ->
        assertThat(values(adapter.get("/metrics").body(), "bridge_consumer_lag_seconds", "topic=\"" + steps + "\""))
            .isNotEmpty().allMatch(seconds -> seconds == 0.0));
    assertThat(adapter.logLines()).anySatisfy(line -> {
      assertThat(line.getString("level")).isEqualTo("WARN");
      assertThat(line.getString("message")).isEqualTo("Statement finished");
      assertThat(line.getString("operation")).isEqualTo("persist_workflow_step");
      assertThat(line.getString("outcome")).isEqualTo("database_unavailable");
      assertThat(line.getLong("duration_ms")).isGreaterThanOrEqualTo(1_000L);
      assertThat(line.getInteger("events")).isPositive();
      assertThat(line.getInteger("attempt")).as("a retried statement").isGreaterThanOrEqualTo(2);
      assertThat(line.getJsonArray("partitions").getList()).isNotEmpty()
          .allMatch(partition -> partition.toString().startsWith(steps + "-"));
    });
    adapter.logLines().stream().filter(line -> "WARN".equals(line.getString("level"))
        && "Statement finished".equals(line.getString("message"))).reduce((first, last) -> last)
        .ifPresent(line -> System.out.println("Slow-statement line: " + line.encode()));
  }

  @Test
  @Order(5)
  @DisplayName("a dead letter is counted on its own topic and type, and its time is the topic's newest")
  void deadLettersPerTopicWithTheNewestOnesTime() throws Exception {
    String stepsLetters = TestEvents.topic(fixture.topicPrefix, EventType.STEP_COMPLETED) + ".dlq";
    String heartbeatLetters = TestEvents.topic(fixture.topicPrefix, EventType.NODE_HEARTBEAT) + ".dlq";
    String text = adapter.get("/metrics").body();

    assertThat(values(text, "bridge_dead_letters_total", "topic=\"" + stepsLetters + "\"",
        "error_type=\"VALIDATION_ERROR\"")).containsExactly(1.0);
    assertThat(values(text, "bridge_dead_letters_total", "topic=\"" + heartbeatLetters + "\""))
        .as("every topic and permanent type from the start, at 0")
        .hasSize((int) Stream.of(ErrorType.values()).filter(type -> !type.isTransient()).count()).containsOnly(0.0);
    assertThat(values(text, "bridge_dead_letter_last_timestamp_seconds", "topic=\"" + stepsLetters + "\""))
        .singleElement().satisfies(seconds -> assertThat(seconds)
            .isBetween(startedAtMs / 1_000.0, System.currentTimeMillis() / 1_000.0));
    assertThat(values(text, "bridge_dead_letter_last_timestamp_seconds", "topic=\"" + heartbeatLetters + "\""))
        .as("no letter, no time").isEmpty();
    printExcerpt(text, "after the run");
  }

  @Test
  @Order(6)
  @DisplayName("health turns UNHEALTHY (503) while the database is unreachable and HEALTHY again after")
  void healthFollowsTheDatabase() throws Exception {
    assertThat(adapter.get("/health").statusCode()).isEqualTo(200);
    assertThat(new JsonObject(adapter.get("/health").body()).getString("status")).isEqualTo("HEALTHY");

    TestEnvironment.executeOnServer("ALTER DATABASE " + fixture.database + " ALLOW_CONNECTIONS false");
    TestEnvironment.executeOnServer("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
        + fixture.database + "' AND pid <> " + fixture.db.queryLong("SELECT pg_backend_pid()"));
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      HttpResponse<String> health = adapter.get("/health");
      assertThat(health.statusCode()).isEqualTo(503);
      JsonObject body = new JsonObject(health.body());
      assertThat(body.getString("status")).isEqualTo("UNHEALTHY");
      assertThat(body.getJsonObject("checks").getJsonObject("database").getString("status")).isEqualTo("UNHEALTHY");
      assertThat(adapter.get("/health/ready").statusCode()).isEqualTo(503);
      assertThat(adapter.get("/health/live").statusCode()).isEqualTo(200);
    });

    TestEnvironment.executeOnServer("ALTER DATABASE " + fixture.database + " ALLOW_CONNECTIONS true");
    await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
      assertThat(adapter.get("/health").statusCode()).isEqualTo(200);
      assertThat(adapter.get("/health/ready").statusCode()).isEqualTo(200);
    });
  }

  /** The values of the samples of {@code name} whose labels include every one of {@code labels} ({@code key="value"}). */
  private static List<Double> values(String text, String name, String... labels) {
    List<Double> values = new ArrayList<>();
    for (String line : text.split("\n")) {
      Matcher sample = SAMPLE.matcher(line);
      if (sample.matches() && sample.group(1).equals(name)
          && Stream.of(labels).allMatch(label -> sample.group(2) != null && sample.group(2).contains(label))) {
        values.add(Double.parseDouble(sample.group(3)));
      }
    }
    return values;
  }

  /** The new series of this scrape, for the record of what an operator sees. */
  private static void printExcerpt(String text, String when) {
    System.out.println("Scrape excerpt, " + when + ":");
    text.lines().filter(line -> line.matches("^bridge_(consumer_lag_seconds|statement_errors_total|dead_letters_total"
        + "|dead_letter_last_timestamp_seconds)\\{.*") && !line.endsWith(" 0.0") || line.startsWith("bridge_consumer_lag_seconds"))
        .forEach(System.out::println);
  }

  /** The sum of every sample of {@code series}; {@code name{label=value}} keeps the samples with that label. */
  private static double sum(String text, String series) {
    String name = series.contains("{") ? series.substring(0, series.indexOf('{')) : series;
    String label = series.contains("{") ? series.substring(series.indexOf('{') + 1, series.length() - 1) : null;
    double total = 0;
    for (String line : text.split("\n")) {
      Matcher sample = SAMPLE.matcher(line);
      if (sample.matches() && sample.group(1).equals(name) && (label == null || (sample.group(2) != null
          && sample.group(2).contains(label.replace("=", "=\"") + "\"")))) {
        total += Double.parseDouble(sample.group(3));
      }
    }
    return total;
  }
}
