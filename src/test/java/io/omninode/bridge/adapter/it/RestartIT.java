package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.testsupport.TestEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

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
    Map<String, Long> atStop = new HashMap<>();

    FaultSkeleton fault = new FaultSkeleton(adapter);

    Map<String, Long> expected = fault.assertEveryEventOnceAfter(events, () -> {
      adapter.topics.produce(events);
      adapter.start();
      fault.awaitUnderWay();
      adapter.stop();
      atStop.putAll(adapter.snapshots.counts());
      adapter.start();
    });

    assertThat(atStop.get("workflow_steps")).as("stopped mid-stream").isLessThan(expected.get("workflow_steps"));
    assertThat(adapter.db.queryLong("SELECT count(*) FROM workflow_executions WHERE workflow_type = 'UNKNOWN'")).isZero();
    assertThat(adapter.ingestStats().getLong("consumed"))
        .as("the second run resumed from committed offsets, not from the beginning")
        .isLessThan(events.size());
  }
}
