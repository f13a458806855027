package io.omninode.bridge.adapter.ingest;

import io.omninode.bridge.adapter.operation.OperationType;

import java.util.Arrays;
import java.util.Optional;

/** The eight event types the bridge nodes publish, and the operation that persists each. */
public enum EventType {
  WORKFLOW_STARTED(OperationType.PERSIST_WORKFLOW_EXECUTION),
  WORKFLOW_COMPLETED(OperationType.PERSIST_WORKFLOW_EXECUTION),
  WORKFLOW_FAILED(OperationType.PERSIST_WORKFLOW_EXECUTION),
  STEP_COMPLETED(OperationType.PERSIST_WORKFLOW_STEP),
  STAMP_CREATED(OperationType.PERSIST_METADATA_STAMP),
  STATE_TRANSITION(OperationType.PERSIST_FSM_TRANSITION),
  STATE_AGGREGATION_COMPLETED(OperationType.PERSIST_BRIDGE_STATE),
  NODE_HEARTBEAT(OperationType.UPDATE_NODE_HEARTBEAT);

  private final OperationType operation;

  EventType(OperationType operation) {
    this.operation = operation;
  }

  public OperationType operation() {
    return operation;
  }

  /** The kebab-case form used in topic names: {@code step-completed}. */
  public String topicSegment() {
    return name().toLowerCase().replace('_', '-');
  }

  /** Accepts {@code STEP_COMPLETED} and {@code step-completed}. */
  public static Optional<EventType> parse(String name) {
    String normalized = name.trim().toUpperCase().replace('-', '_');
    return Arrays.stream(values()).filter(type -> type.name().equals(normalized)).findFirst();
  }

  /** The event type named by a topic {@code {env}.{tenant}.{context}.{event-type}.v1}. */
  public static Optional<EventType> fromTopic(String topic) {
    String[] segments = topic.split("\\.");
    return segments.length < 2 ? Optional.empty() : parse(segments[segments.length - 2]);
  }
}
