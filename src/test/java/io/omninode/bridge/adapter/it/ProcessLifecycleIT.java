package io.omninode.bridge.adapter.it;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;

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
    Map<String, Long> expected = Expected.rowCounts(events);
    fixture.produce(events);

    try (AdapterProcess first = AdapterProcess.start(fixture, "killed-1")) {
      await().atMost(Duration.ofSeconds(60)).until(() -> fixture.count("workflow_steps") > 500);
      first.kill();
    }
    Map<String, Long> atKill = fixture.counts();
    try (AdapterProcess second = AdapterProcess.start(fixture, "killed-2")) {
      await().atMost(Duration.ofMinutes(3)).until(fixture::counts, expected::equals);
    }

    assertThat(atKill.get("workflow_steps")).as("killed mid-stream").isLessThan(expected.get("workflow_steps"));
    assertThat(fixture.counts()).isEqualTo(expected);
    assertThat(fixture.deadLetters()).isEmpty();
  }

  @Test
  @DisplayName("SIGTERM mid-stream: a clean exit within the timeout, and the next process resumes where it stopped")
  void terminatedMidStream() throws Exception {
    fixture = new AdapterFixture("sigterm");
    fixture.config.put("resilience", new JsonObject().put("shutdown_timeout_ms", 15_000));
    List<TestEvents.Event> events = TestEvents.mixedWorkload(20_000, 5);
    Map<String, Long> expected = Expected.rowCounts(events);
    fixture.produce(events);

    int exitCode;
    String firstOutput;
    try (AdapterProcess first = AdapterProcess.start(fixture, "sigterm-1")) {
      await().atMost(Duration.ofSeconds(60)).until(() -> fixture.count("workflow_steps") > 500);
      exitCode = first.terminate(Duration.ofSeconds(20));
      firstOutput = first.output();
    }
    Map<String, Long> atExit = fixture.counts();
    JsonObject resumed;
    try (AdapterProcess second = AdapterProcess.start(fixture, "sigterm-2")) {
      await().atMost(Duration.ofMinutes(3)).until(fixture::counts, expected::equals);
      resumed = second.readiness().getJsonObject("kafka_consumer");
    }

    assertThat(exitCode).as("exited on its own, within the timeout, without the watchdog").isEqualTo(SIGTERM_EXIT);
    assertThat(firstOutput).contains("Shut down cleanly");
    assertThat(atExit.get("workflow_steps")).as("stopped mid-stream").isLessThan(expected.get("workflow_steps"));
    assertThat(resumed.getLong("consumed")).as("the second process started from the committed offsets")
        .isLessThan(events.size());
    assertThat(fixture.counts()).isEqualTo(expected);
    assertThat(fixture.deadLetters()).isEmpty();
  }
}
