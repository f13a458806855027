package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.contract.EventType;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;

/** Envelopes as the bridge nodes publish them, one factory per event type. */
final class TestEvents {

  /** One record to produce: its event type (which names the topic), key and envelope. */
  record Event(EventType type, String key, JsonObject envelope) {
  }

  static final OffsetDateTime T0 = OffsetDateTime.of(2026, 11, 24, 10, 0, 0, 0, ZoneOffset.UTC);

  private TestEvents() {
  }

  static Event event(EventType type, UUID correlationId, String key, OffsetDateTime at, JsonObject data) {
    JsonObject envelope = new JsonObject()
        .put("envelope_version", "1.0")
        .put("event_id", UUID.randomUUID().toString())
        .put("event_type", type.name())
        .put("event_version", "1.0")
        .put("timestamp", at.toString())
        .put("correlation_id", correlationId == null ? null : correlationId.toString())
        .put("causation_id", null)
        .put("source_service", "orchestrator")
        .put("source_node_id", "orchestrator-1")
        .put("metadata", new JsonObject())
        .put("payload", new JsonObject().put(type.operation().dataField(), data));
    return new Event(type, key, envelope);
  }

  static Event workflowStarted(UUID workflow, OffsetDateTime at) {
    return event(EventType.WORKFLOW_STARTED, workflow, workflow.toString(), at, new JsonObject()
        .put("workflow_type", "metadata_stamping")
        .put("current_state", "PROCESSING")
        .put("namespace", "omninode.test")
        .put("started_at", at.toString())
        .put("metadata", new JsonObject().put("requested_by", "it").put("priority", 1)));
  }

  static Event workflowCompleted(UUID workflow, OffsetDateTime at, int executionTimeMs) {
    return event(EventType.WORKFLOW_COMPLETED, workflow, workflow.toString(), at, new JsonObject()
        .put("current_state", "COMPLETED")
        .put("completed_at", at.toString())
        .put("execution_time_ms", executionTimeMs)
        .put("metadata", new JsonObject().put("priority", 2).put("result", "ok")));
  }

  static Event workflowFailed(UUID workflow, OffsetDateTime at, String error) {
    return event(EventType.WORKFLOW_FAILED, workflow, workflow.toString(), at, new JsonObject()
        .put("current_state", "FAILED")
        .put("completed_at", at.toString())
        .put("execution_time_ms", 900)
        .put("error_message", error));
  }

  static Event stepCompleted(UUID workflow, String name, int order, OffsetDateTime at) {
    return event(EventType.STEP_COMPLETED, workflow, workflow.toString(), at, new JsonObject()
        .put("workflow_id", workflow.toString())
        .put("step_name", name)
        .put("step_order", order)
        .put("status", "COMPLETED")
        .put("execution_time_ms", 10 + order)
        .put("step_data", new JsonObject().put("bytes", 1024 * order)));
  }

  static Event stampCreated(UUID workflow, String fileHash, OffsetDateTime at) {
    return event(EventType.STAMP_CREATED, workflow, workflow.toString(), at, new JsonObject()
        .put("workflow_correlation_id", workflow.toString())
        .put("file_hash", fileHash)
        .put("stamp_data", new JsonObject().put("algorithm", "blake3"))
        .put("namespace", "omninode.test"));
  }

  static Event stateTransition(UUID entity, String from, String to, OffsetDateTime at) {
    return event(EventType.STATE_TRANSITION, entity, entity.toString(), at, new JsonObject()
        .put("entity_id", entity.toString())
        .put("entity_type", "workflow")
        .put("from_state", from)
        .put("to_state", to)
        .put("transition_event", "advance")
        .put("transition_data", new JsonObject().put("reason", "test")));
  }

  static Event aggregation(UUID bridge, int workflows, int items, OffsetDateTime at) {
    return event(EventType.STATE_AGGREGATION_COMPLETED, bridge, bridge.toString(), at, new JsonObject()
        .put("bridge_id", bridge.toString())
        .put("namespace", "omninode.test")
        .put("total_workflows_processed", workflows)
        .put("total_items_aggregated", items)
        .put("aggregation_metadata", new JsonObject().put("window", workflows))
        .put("current_fsm_state", "ACTIVE")
        .put("last_aggregation_timestamp", at.toString()));
  }

  static Event heartbeat(String nodeId, OffsetDateTime at, String health) {
    return event(EventType.NODE_HEARTBEAT, null, nodeId, at, new JsonObject()
        .put("node_id", nodeId)
        .put("node_type", "orchestrator")
        .put("node_version", "1.0.0")
        .put("health_status", health)
        .put("last_heartbeat", at.toString())
        .put("capabilities", new JsonObject().put("stamping", true))
        .put("endpoints", new JsonObject().put("health", "http://" + nodeId + ":8080/health")));
  }

  /** Whole workflows (start, steps, transitions, a stamp, an end) plus aggregations and heartbeats. */
  static List<Event> mixedWorkload(int approximateCount, long seed) {
    Random random = new Random(seed);
    List<Event> events = new ArrayList<>();
    List<UUID> bridges = List.of(UUID.randomUUID(), UUID.randomUUID(), UUID.randomUUID());
    int tick = 0;
    while (events.size() < approximateCount) {
      UUID workflow = UUID.randomUUID();
      OffsetDateTime start = T0.plusSeconds(tick++);
      events.add(workflowStarted(workflow, start));
      int steps = 3 + random.nextInt(5);
      for (int i = 1; i <= steps; i++) {
        events.add(stepCompleted(workflow, "step-" + i, i, start.plusNanos(i * 1_000_000L)));
        events.add(stateTransition(workflow, "STEP_" + (i - 1), "STEP_" + i, start.plusNanos(i * 1_000_000L)));
      }
      events.add(stampCreated(workflow, Long.toHexString(random.nextLong()) + "ab".repeat(24), start.plusSeconds(1)));
      events.add(random.nextInt(20) == 0
          ? workflowFailed(workflow, start.plusSeconds(2), "boom " + tick)
          : workflowCompleted(workflow, start.plusSeconds(2), 2000));
      events.add(aggregation(bridges.get(random.nextInt(bridges.size())), tick, tick * 10, start.plusSeconds(2)));
      events.add(heartbeat("node-" + random.nextInt(50), start.plusSeconds(2), "HEALTHY"));
    }
    return events;
  }
}
