package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.testsupport.TestEvents;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The fault tests' shape: a disruption produces the events and breaks something while they are
 * consumed (it starts and stops the adapter as it needs); afterwards every event is in its table
 * exactly once and none went to a dead-letter topic.
 */
final class FaultSkeleton {

  /** What a fault test does to the running system. */
  interface Disruption {
    void run() throws Exception;
  }

  private final AdapterFixture adapter;

  FaultSkeleton(AdapterFixture adapter) {
    this.adapter = adapter;
  }

  /** Runs {@code disruption}, then asserts every event once and no dead letter; returns the expected row counts. */
  Map<String, Long> assertEveryEventOnceAfter(List<TestEvents.Event> events, Disruption disruption) throws Exception {
    Map<String, Long> expected = Expected.rowCounts(events);
    disruption.run();
    await().atMost(Duration.ofMinutes(3)).until(adapter.snapshots::counts, expected::equals);
    assertThat(adapter.snapshots.counts()).isEqualTo(expected);
    assertThat(adapter.topics.deadLetters()).as("nothing dead-lettered").isEmpty();
    return expected;
  }

  /** Waits until the adapter is well under way: some hundreds of steps written. */
  void awaitUnderWay() {
    await().atMost(Duration.ofSeconds(60)).until(() -> adapter.db.count("workflow_steps") > 500);
  }
}
