package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.testsupport.AdapterProcess;
import io.omninode.bridge.adapter.testsupport.TestEvents;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static io.omninode.bridge.adapter.testsupport.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Events of 100 kB, 2,000 of them, held while the database does not answer and then written, by the
 * shipped jar in its 96 MB heap: bytes in flight and bytes per statement stay bounded, nothing is
 * lost or dead-lettered, and the process lives on.
 */
@DisplayName("2,000 events of 100 kB held and then written, in the shipped heap")
class LargeEventsIT {

  private static final Logger log = LoggerFactory.getLogger(LargeEventsIT.class);
  private AdapterFixture fixture;

  @AfterEach
  void close() throws Exception {
    fixture.close();
  }

  @Test
  @DisplayName("held while the database does not answer, then written in statements of bounded size: every row once, no restart")
  void largeEventsStayBoundedInTheShippedHeap() throws Exception {
    fixture = new AdapterFixture("large-events", 1);
    // a call waits as long as the lock is held: nothing fails, the consumer fetches until a bound stops it
    fixture.config.put("resilience", new JsonObject().put("breaker_call_timeout_ms", 60_000));
    UUID workflow = UUID.randomUUID();
    List<TestEvents.Event> events = new ArrayList<>();
    events.add(TestEvents.workflowStarted(workflow, T0));
    for (int i = 1; i <= 2_000; i++) {
      TestEvents.Event step = TestEvents.stepCompleted(workflow, "step-" + i, i, T0);
      step.envelope().getJsonObject("payload").getJsonObject("workflow_step_data")
          .put("error_message", (char) ('a' + i % 26) + "x".repeat(99_999));
      events.add(step);
    }

    try (AdapterProcess adapter = fixture.startProcess("large-events")) {
      long pid = adapter.pid();
      fixture.topics.produce(events.subList(0, 2));
      await().atMost(Duration.ofSeconds(60)).until(() -> fixture.db.count("workflow_steps") == 1);
      JsonObject held;
      try (Connection lock = fixture.db.lockTable("workflow_steps")) {
        fixture.topics.produce(events.subList(2, events.size()));
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
            .until(() -> adapter.consumer().getBoolean("paused", false));
        Thread.sleep(2_000);
        held = adapter.consumer();
        lock.rollback();
      }

      await().atMost(Duration.ofMinutes(4)).until(() -> fixture.db.count("workflow_steps") == 2_000);
      assertThat(fixture.snapshots.counts()).isEqualTo(Expected.rowCounts(events));
      assertThat(fixture.topics.deadLetters()).as("nothing dead-lettered").isEmpty();
      assertThat(held.getString("breaker")).as("nothing failed: the bytes stopped the fetching").isEqualTo("CLOSED");
      assertThat(held.getInteger("in_flight")).as("far fewer than max_in_flight's 2,000").isLessThan(150);
      assertThat(held.getLong("in_flight_bytes")).as("max_in_flight_bytes, and at most one fetch over it")
          .isLessThan(8 * 1_048_576 + 2 * 1_048_576 + 110_000);
      assertThat(largestStatement(adapter)).as("max_statement_bytes: about 20 events of 100 kB a statement")
          .isLessThanOrEqualTo(25);
      assertThat(adapter.isAlive()).isTrue();
      assertThat(adapter.pid()).isEqualTo(pid);
      assertThat(adapter.output()).doesNotContain("OutOfMemoryError");
      assertThat(fixture.db.queryLong("SELECT count(*) FROM workflow_steps WHERE length(error_message) = 100000"))
          .isEqualTo(2_000);
      log.atInfo().addKeyValue("held_in_flight", held.getInteger("in_flight"))
          .addKeyValue("held_in_flight_bytes", held.getLong("in_flight_bytes"))
          .addKeyValue("largest_statement_events", largestStatement(adapter))
          .addKeyValue("peak_rss_mb", adapter.peakRssKb() / 1024).log("Large events written after the wait");
    }
  }

  /** The upper bound of the smallest batch-size bucket that holds every statement of persist_workflow_step. */
  private static double largestStatement(AdapterProcess adapter) throws Exception {
    List<String> lines = adapter.get("/metrics").body().lines()
        .filter(line -> line.startsWith("bridge_db_batch_size_events_") && line.contains("persist_workflow_step"))
        .toList();
    double count = value(lines.stream().filter(line -> line.startsWith("bridge_db_batch_size_events_count")).findFirst()
        .orElseThrow());
    return lines.stream().filter(line -> line.startsWith("bridge_db_batch_size_events_bucket") && value(line) >= count)
        .mapToDouble(line -> Double.parseDouble(line.replaceAll(".*le=\"([^\"]+)\".*", "$1").replace("+Inf", "Infinity")))
        .min().orElseThrow();
  }

  private static double value(String line) {
    return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
  }
}
