package io.omninode.bridge.adapter.contract;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
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

  /** Both spellings of every type, so that the usual forms are found without building a string. */
  private static final Map<String, EventType> BY_NAME = new HashMap<>();

  static {
    for (EventType type : values()) {
      BY_NAME.put(type.name(), type);
      BY_NAME.put(type.topicSegment(), type);
    }
  }

  private final OperationType operation;

  EventType(OperationType operation) {
    this.operation = operation;
  }

  public OperationType operation() {
    return operation;
  }

  /** The kebab-case form used in topic names: {@code step-completed}. */
  public String topicSegment() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Accepts {@code STEP_COMPLETED} and {@code step-completed} (any case, surrounding blanks ignored). */
  public static Optional<EventType> parse(String name) {
    EventType exact = BY_NAME.get(name);
    return exact != null ? Optional.of(exact)
        : Optional.ofNullable(BY_NAME.get(name.trim().toUpperCase(Locale.ROOT).replace('-', '_')));
  }

  /** The event type named by a topic {@code {env}.{tenant}.{context}.{event-type}.v1}. */
  public static Optional<EventType> fromTopic(String topic) {
    String[] segments = topic.split("\\.");
    return segments.length < 2 ? Optional.empty() : parse(segments[segments.length - 2]);
  }
}
