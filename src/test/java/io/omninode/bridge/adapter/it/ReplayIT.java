package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.testsupport.TestEvents;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class ReplayIT {

  private AdapterFixture adapter;

  @AfterEach
  void close() throws Exception {
    adapter.close();
  }

  @Test
  @DisplayName("the same 5,000 mixed events consumed twice leave every table identical")
  void replayLeavesEveryTableIdentical() throws Exception {
    adapter = new AdapterFixture("replay");
    List<TestEvents.Event> events = TestEvents.mixedWorkload(5_000, 42);
    Map<String, Long> expected = Expected.rowCounts(events);
    adapter.topics.produce(events);

    adapter.start();
    await().atMost(Duration.ofMinutes(2)).until(adapter.snapshots::counts, expected::equals);
    await().atMost(Duration.ofSeconds(30)).until(() -> adapter.ingestStats().getLong("persisted") == events.size());
    Map<String, List<Map<String, String>>> afterFirstPass = adapter.snapshots.full();
    adapter.stop();

    adapter.useNewConsumerGroup();
    adapter.start();
    await().atMost(Duration.ofMinutes(2)).until(() -> adapter.ingestStats().getLong("persisted") == events.size());

    assertThat(adapter.ingestStats().getLong("rejected")).isZero();
    assertThat(adapter.snapshots.counts()).isEqualTo(expected);
    assertThat(adapter.snapshots.full()).isEqualTo(afterFirstPass);
  }
}
