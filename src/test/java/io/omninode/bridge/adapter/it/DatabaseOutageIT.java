package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.testsupport.TestEvents;
import io.omninode.bridge.adapter.testsupport.TestEnvironment;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@DisplayName("A database outage longer than the breaker's open time")
class DatabaseOutageIT {

  private static final Logger log = LoggerFactory.getLogger(DatabaseOutageIT.class);

  private AdapterFixture adapter;

  @AfterEach
  void close() throws Exception {
    TestEnvironment.executeOnServer("ALTER DATABASE " + adapter.database + " ALLOW_CONNECTIONS true");
    adapter.close();
  }

  @Test
  @DisplayName("opens the breaker and pauses the consumer, dead-letters nothing, and loses nothing")
  void outageOpensBreakerPausesConsumerAndLosesNothing() throws Exception {
    adapter = new AdapterFixture("outage");
    adapter.config.put("resilience", new JsonObject()
        .put("breaker_reset_timeout_ms", 2_000)
        .put("breaker_call_timeout_ms", 5_000)
        .put("retry_max_ms", 1_000));
    List<TestEvents.Event> events = TestEvents.mixedWorkload(12_000, 11);
    int half = events.size() / 2;
    AtomicLong persistedDuringOutage = new AtomicLong();
    AtomicLong persistedAfterOutage = new AtomicLong();

    FaultSkeleton fault = new FaultSkeleton(adapter);

    Map<String, Long> expected = fault.assertEveryEventOnceAfter(events, () -> {
      adapter.topics.produce(events.subList(0, half));
      adapter.start();
      await().atMost(Duration.ofSeconds(60)).until(() -> adapter.db.count("workflow_steps") > 0);
      cutDatabase();
      adapter.topics.produce(events.subList(half, events.size()));
      await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50)).until(() -> {
        JsonObject stats = adapter.ingestStats();
        return "OPEN".equals(stats.getString("breaker")) && stats.getBoolean("paused");
      });
      persistedDuringOutage.set(adapter.ingestStats().getLong("persisted"));
      Thread.sleep(5_000); // longer than the breaker's open time: half-open probes fail and it opens again
      persistedAfterOutage.set(adapter.ingestStats().getLong("persisted"));
      restoreDatabase();
    });

    assertThat(persistedAfterOutage.get()).as("nothing persisted while the database is away")
        .isEqualTo(persistedDuringOutage.get());
    JsonObject stats = adapter.ingestStats();
    assertThat(stats.getLong("breaker_opened")).isGreaterThanOrEqualTo(1);
    assertThat(stats.getString("breaker")).isEqualTo("CLOSED");
    assertThat(stats.getLong("dead_lettered")).isZero();
    assertThat(stats.getLong("rejected")).isZero();
    log.atInfo().addKeyValue("events_sent", events.size()).addKeyValue("persisted", stats.getLong("persisted"))
        .addKeyValue("retried", stats.getLong("retried")).addKeyValue("rows", adapter.snapshots.counts())
        .addKeyValue("expected_rows", expected).log("Database outage survived");
  }

  private void cutDatabase() throws Exception {
    long ownSession = adapter.db.queryLong("SELECT pg_backend_pid()");
    TestEnvironment.executeOnServer("ALTER DATABASE " + adapter.database + " ALLOW_CONNECTIONS false");
    TestEnvironment.executeOnServer("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
        + adapter.database + "' AND pid <> " + ownSession);
  }

  private void restoreDatabase() throws Exception {
    TestEnvironment.executeOnServer("ALTER DATABASE " + adapter.database + " ALLOW_CONNECTIONS true");
  }
}
