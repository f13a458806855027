package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.testsupport.TestEvents;
import io.omninode.bridge.adapter.contract.EventType;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** The row count per table that a list of events must leave, worked out from the events alone. */
final class Expected {

  private Expected() {
  }

  static Map<String, Long> rowCounts(List<TestEvents.Event> events) {
    Map<String, Long> counts = new LinkedHashMap<>();
    counts.put("workflow_executions", (long) distinct(events, "correlation_id",
        EventType.WORKFLOW_STARTED, EventType.WORKFLOW_COMPLETED, EventType.WORKFLOW_FAILED,
        EventType.STEP_COMPLETED, EventType.STAMP_CREATED).size());
    counts.put("workflow_steps", count(events, EventType.STEP_COMPLETED));
    counts.put("metadata_stamps", count(events, EventType.STAMP_CREATED));
    counts.put("fsm_transitions", count(events, EventType.STATE_TRANSITION));
    counts.put("bridge_states", (long) distinctData(events, EventType.STATE_AGGREGATION_COMPLETED, "bridge_id").size());
    counts.put("node_registrations", (long) distinctData(events, EventType.NODE_HEARTBEAT, "node_id").size());
    return counts;
  }

  private static long count(List<TestEvents.Event> events, EventType type) {
    return events.stream().filter(event -> event.type() == type).count();
  }

  private static Set<String> distinct(List<TestEvents.Event> events, String field, EventType... types) {
    List<EventType> wanted = List.of(types);
    return events.stream().filter(event -> wanted.contains(event.type()))
        .map(event -> event.envelope().getString(field)).collect(Collectors.toSet());
  }

  private static Set<String> distinctData(List<TestEvents.Event> events, EventType type, String field) {
    return events.stream().filter(event -> event.type() == type)
        .map(event -> event.envelope().getJsonObject("payload").getJsonObject(type.operation().dataField())
            .getString(field))
        .collect(Collectors.toSet());
  }
}
