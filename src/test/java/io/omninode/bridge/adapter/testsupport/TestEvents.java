package io.omninode.bridge.adapter.testsupport;

import io.omninode.bridge.adapter.config.KafkaSettings;
import io.omninode.bridge.adapter.contract.EventType;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Envelopes as the bridge nodes publish them, one factory per event type. */
public final class TestEvents {

  /** One record to produce: its event type (which names the topic), key and envelope. */
  public record Event(EventType type, String key, JsonObject envelope) {

    /** The topic of this event's type under {@code prefix}. */
    public String topic(String prefix) {
      return TestEvents.topic(prefix, type);
    }
  }

  public static final OffsetDateTime T0 = OffsetDateTime.of(2026, 11, 24, 10, 0, 0, 0, ZoneOffset.UTC);

  private TestEvents() {
  }

  public static Event event(EventType type, UUID correlationId, String key, OffsetDateTime at, JsonObject data) {
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

  public static Event workflowStarted(UUID workflow, OffsetDateTime at) {
    return event(EventType.WORKFLOW_STARTED, workflow, workflow.toString(), at, new JsonObject()
        .put("workflow_type", "metadata_stamping")
        .put("current_state", "PROCESSING")
        .put("namespace", "omninode.test")
        .put("started_at", at.toString())
        .put("metadata", new JsonObject().put("requested_by", "it").put("priority", 1)));
  }

  public static Event workflowCompleted(UUID workflow, OffsetDateTime at, int executionTimeMs) {
    return event(EventType.WORKFLOW_COMPLETED, workflow, workflow.toString(), at, new JsonObject()
        .put("current_state", "COMPLETED")
        .put("completed_at", at.toString())
        .put("execution_time_ms", executionTimeMs)
        .put("metadata", new JsonObject().put("priority", 2).put("result", "ok")));
  }

  public static Event workflowFailed(UUID workflow, OffsetDateTime at, String error) {
    return event(EventType.WORKFLOW_FAILED, workflow, workflow.toString(), at, new JsonObject()
        .put("current_state", "FAILED")
        .put("completed_at", at.toString())
        .put("execution_time_ms", 900)
        .put("error_message", error));
  }

  public static Event stepCompleted(UUID workflow, String name, int order, OffsetDateTime at) {
    return event(EventType.STEP_COMPLETED, workflow, workflow.toString(), at, new JsonObject()
        .put("workflow_id", workflow.toString())
        .put("step_name", name)
        .put("step_order", order)
        .put("status", "COMPLETED")
        .put("execution_time_ms", 10 + order)
        .put("step_data", new JsonObject().put("bytes", 1024 * order)));
  }

  public static Event stampCreated(UUID workflow, String fileHash, OffsetDateTime at) {
    return event(EventType.STAMP_CREATED, workflow, workflow.toString(), at, new JsonObject()
        .put("workflow_correlation_id", workflow.toString())
        .put("file_hash", fileHash)
        .put("stamp_data", new JsonObject().put("algorithm", "blake3"))
        .put("namespace", "omninode.test"));
  }

  public static Event stateTransition(UUID entity, String from, String to, OffsetDateTime at) {
    return event(EventType.STATE_TRANSITION, entity, entity.toString(), at, new JsonObject()
        .put("entity_id", entity.toString())
        .put("entity_type", "workflow")
        .put("from_state", from)
        .put("to_state", to)
        .put("transition_event", "advance")
        .put("transition_data", new JsonObject().put("reason", "test")));
  }

  public static Event aggregation(UUID bridge, int workflows, int items, OffsetDateTime at) {
    return event(EventType.STATE_AGGREGATION_COMPLETED, bridge, bridge.toString(), at, new JsonObject()
        .put("bridge_id", bridge.toString())
        .put("namespace", "omninode.test")
        .put("total_workflows_processed", workflows)
        .put("total_items_aggregated", items)
        .put("aggregation_metadata", new JsonObject().put("window", workflows))
        .put("current_fsm_state", "ACTIVE")
        .put("last_aggregation_timestamp", at.toString()));
  }

  public static Event heartbeat(String nodeId, OffsetDateTime at, String health) {
    return event(EventType.NODE_HEARTBEAT, null, nodeId, at, new JsonObject()
        .put("node_id", nodeId)
        .put("node_type", "orchestrator")
        .put("node_version", "1.0.0")
        .put("health_status", health)
        .put("last_heartbeat", at.toString())
        .put("capabilities", new JsonObject().put("stamping", true))
        .put("endpoints", new JsonObject().put("health", "http://" + nodeId + ":8080/health")));
  }

  /** The default topic of {@code type} under {@code prefix}: {@code <prefix>.<context>.<event-type>.v1}. */
  public static String topic(String prefix, EventType type) {
    return KafkaSettings.defaultTopics(prefix).stream()
        .filter(topic -> topic.contains("." + type.topicSegment() + "."))
        .findFirst().orElseThrow();
  }

  /** About {@code count} events of {@link Workload}'s mix, stamped one millisecond apart from {@link #T0}. */
  public static List<Event> mixedWorkload(int count, long seed) {
    Workload workload = new Workload(20, seed);
    List<Event> events = new ArrayList<>(count);
    for (int i = 0; i < count; i++) {
      events.add(workload.next(T0.toInstant().plusMillis(i)));
    }
    return events;
  }
}
