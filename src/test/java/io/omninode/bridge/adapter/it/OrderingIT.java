package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.testsupport.TestEvents;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static io.omninode.bridge.adapter.testsupport.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Events of one workflow travel on different topics, so the adapter sees them in any order. The
 * same events, delivered in order to one database and in a hostile order to another, must leave
 * the same rows. Each phase is waited for, so the order is really the one written here.
 */
class OrderingIT {

  private final UUID completedWorkflow = UUID.randomUUID();
  private final UUID failedWorkflow = UUID.randomUUID();
  private final UUID bridge = UUID.randomUUID();

  private final TestEvents.Event start = TestEvents.workflowStarted(completedWorkflow, T0);
  private final List<TestEvents.Event> steps = List.of(
      TestEvents.stepCompleted(completedWorkflow, "validate", 1, T0.plusSeconds(1)),
      TestEvents.stepCompleted(completedWorkflow, "hash", 2, T0.plusSeconds(2)),
      TestEvents.stepCompleted(completedWorkflow, "stamp", 3, T0.plusSeconds(3)));
  private final TestEvents.Event stamp = TestEvents.stampCreated(completedWorkflow, "cd".repeat(32), T0.plusSeconds(3));
  private final TestEvents.Event transition = TestEvents.stateTransition(completedWorkflow, "PENDING", "DONE", T0);
  private final TestEvents.Event completion = TestEvents.workflowCompleted(completedWorkflow, T0.plusSeconds(4), 4000);
  private final TestEvents.Event failedStart = TestEvents.workflowStarted(failedWorkflow, T0);
  private final TestEvents.Event failure = TestEvents.workflowFailed(failedWorkflow, T0.plusSeconds(1), "timeout");
  private final TestEvents.Event oldAggregation = TestEvents.aggregation(bridge, 10, 100, T0.plusSeconds(10));
  private final TestEvents.Event newAggregation = TestEvents.aggregation(bridge, 20, 200, T0.plusSeconds(20));
  private final TestEvents.Event oldHeartbeat = TestEvents.heartbeat("ordering-node", T0.plusSeconds(10), "STARTING");
  private final TestEvents.Event newHeartbeat = TestEvents.heartbeat("ordering-node", T0.plusSeconds(20), "HEALTHY");

  @Test
  @DisplayName("steps before the start, completion before the start, old aggregation after a new one: same rows")
  void shuffledOrderGivesTheSameRowsAsInOrder() throws Exception {
    Map<String, List<Map<String, String>>> inOrder = persistInPhases("inorder", List.of(
        List.of(start, failedStart, oldAggregation, oldHeartbeat),
        concat(steps, List.of(stamp, transition)),
        List.of(completion, failure, newAggregation, newHeartbeat)));
    Map<String, List<Map<String, String>>> shuffled = persistInPhases("shuffled", List.of(
        concat(steps, List.of(stamp, completion, failure)),
        List.of(newAggregation, newHeartbeat),
        List.of(oldAggregation, oldHeartbeat, transition),
        List.of(start, failedStart)));

    assertThat(shuffled).isEqualTo(inOrder);
    assertThat(inOrder.get("workflow_executions")).extracting(row -> row.get("current_state"))
        .containsExactlyInAnyOrder("COMPLETED", "FAILED");
    assertThat(inOrder.get("workflow_executions")).extracting(row -> row.get("workflow_type"))
        .containsOnly("metadata_stamping");
    assertThat(inOrder.get("workflow_steps")).hasSize(3);
    assertThat(inOrder.get("metadata_stamps")).extracting(row -> row.get("correlation_id"))
        .containsExactly(completedWorkflow.toString());
    assertThat(inOrder.get("bridge_states")).extracting(row -> row.get("total_workflows_processed")).containsExactly("20");
    assertThat(inOrder.get("node_registrations")).extracting(row -> row.get("health_status")).containsExactly("HEALTHY");
  }

  private static Map<String, List<Map<String, String>>> persistInPhases(String name, List<List<TestEvents.Event>> phases)
      throws Exception {
    try (AdapterFixture adapter = new AdapterFixture(name)) {
      adapter.start();
      int sent = 0;
      for (List<TestEvents.Event> phase : phases) {
        adapter.topics.produce(phase);
        sent += phase.size();
        int expected = sent;
        await().atMost(Duration.ofSeconds(30)).until(() -> adapter.ingestStats().getLong("persisted") == expected);
      }
      return adapter.snapshots.portable();
    }
  }

  private static List<TestEvents.Event> concat(List<TestEvents.Event> first, List<TestEvents.Event> second) {
    return Stream.concat(first.stream(), second.stream()).toList();
  }
}
