package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.testsupport.AdapterProcess;
import io.omninode.bridge.adapter.testsupport.TestEvents;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@DisplayName("The adapter as a process, stopped mid-stream and started again, persists every event exactly once")
class ProcessLifecycleIT {

  private static final int SIGTERM_EXIT = 128 + 15;

  private AdapterFixture fixture;

  @AfterEach
  void close() throws Exception {
    fixture.close();
  }

  @Test
  @DisplayName("killed with SIGKILL mid-stream: the next process replays from the last commit")
  void killedHardMidStream() throws Exception {
    fixture = new AdapterFixture("killed");
    List<TestEvents.Event> events = TestEvents.mixedWorkload(20_000, 3);
    Map<String, Long> atKill = new HashMap<>();

    FaultSkeleton fault = new FaultSkeleton(fixture);

    Map<String, Long> expected = fault.assertEveryEventOnceAfter(events, () -> {
      fixture.topics.produce(events);
      try (AdapterProcess first = fixture.startProcess("killed-1")) {
        fault.awaitUnderWay();
        first.kill();
      }
      atKill.putAll(fixture.snapshots.counts());
      try (AdapterProcess second = fixture.startProcess("killed-2")) {
        await().atMost(Duration.ofMinutes(3)).until(fixture.snapshots::counts, Expected.rowCounts(events)::equals);
      }
    });

    assertThat(atKill.get("workflow_steps")).as("killed mid-stream").isLessThan(expected.get("workflow_steps"));
  }

  @Test
  @DisplayName("SIGTERM mid-stream: a clean exit within the timeout, and the next process resumes where it stopped")
  void terminatedMidStream() throws Exception {
    fixture = new AdapterFixture("sigterm");
    fixture.config.put("resilience", new JsonObject().put("shutdown_timeout_ms", 15_000));
    List<TestEvents.Event> events = TestEvents.mixedWorkload(20_000, 5);
    AtomicInteger exitCode = new AtomicInteger();
    AtomicReference<String> firstOutput = new AtomicReference<>();
    AtomicReference<JsonObject> resumed = new AtomicReference<>();
    Map<String, Long> atExit = new HashMap<>();

    FaultSkeleton fault = new FaultSkeleton(fixture);

    Map<String, Long> expected = fault.assertEveryEventOnceAfter(events, () -> {
      fixture.topics.produce(events);
      try (AdapterProcess first = fixture.startProcess("sigterm-1")) {
        fault.awaitUnderWay();
        exitCode.set(first.terminate(Duration.ofSeconds(20)));
        firstOutput.set(first.output());
      }
      atExit.putAll(fixture.snapshots.counts());
      try (AdapterProcess second = fixture.startProcess("sigterm-2")) {
        await().atMost(Duration.ofMinutes(3)).until(fixture.snapshots::counts, Expected.rowCounts(events)::equals);
        resumed.set(second.consumer());
      }
    });

    assertThat(exitCode.get()).as("exited on its own, within the timeout, without the watchdog").isEqualTo(SIGTERM_EXIT);
    assertThat(firstOutput.get()).contains("Shut down cleanly");
    assertThat(atExit.get("workflow_steps")).as("stopped mid-stream").isLessThan(expected.get("workflow_steps"));
    assertThat(resumed.get().getLong("consumed")).as("the second process started from the committed offsets")
        .isLessThan(events.size());
  }
}
