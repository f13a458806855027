package io.omninode.bridge.adapter.it;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class RestartIT {

  private AdapterFixture adapter;

  @AfterEach
  void close() throws Exception {
    adapter.close();
  }

  @Test
  @DisplayName("an adapter stopped mid-stream and started again persists every event exactly once")
  void restartMidStreamPersistsEveryEventExactlyOnce() throws Exception {
    adapter = new AdapterFixture("restart");
    List<TestEvents.Event> events = TestEvents.mixedWorkload(20_000, 7);
    Map<String, Long> expected = Expected.rowCounts(events);
    adapter.produce(events);

    adapter.start();
    await().atMost(Duration.ofSeconds(60)).until(() -> adapter.count("workflow_steps") > 0);
    adapter.stop();
    Map<String, Long> atStop = adapter.counts();

    adapter.start();
    await().atMost(Duration.ofMinutes(3)).until(adapter::counts, expected::equals);

    assertThat(atStop.get("workflow_steps")).as("stopped mid-stream").isLessThan(expected.get("workflow_steps"));
    assertThat(adapter.counts()).isEqualTo(expected);
    assertThat(adapter.queryLong("SELECT count(*) FROM workflow_executions WHERE workflow_type = 'UNKNOWN'")).isZero();
    assertThat(adapter.ingestStats().getLong("consumed"))
        .as("the second run resumed from committed offsets, not from the beginning")
        .isLessThan(events.size());
  }
}
