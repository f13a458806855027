package io.omninode.bridge.adapter.testsupport;

import io.omninode.bridge.adapter.contract.EventType;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

/**
 * A realistic stream of bridge events, for the integration tests and the benchmark: many workflows
 * in progress at once, each a start, 3-10 steps each with an FSM transition, a stamp and an end
 * (about 5 % fail); reducer aggregations for a few bridges; heartbeats from a few hundred nodes.
 * Keyed like the real producers (workflow events by correlation id, aggregations by bridge,
 * heartbeats by node). Counts the rows the events must leave, so that a run can be checked for
 * lost or duplicated rows. The mix and order follow the seed; event ids are unique every time.
 */
public final class Workload {

  private static final int NODES = 300;
  private static final int BRIDGES = 10;

  /** Which events a workflow has: every type, or only a start and its steps (the step-drain benchmark). */
  public enum Mix { ALL, STEPS }

  private final Random random;
  private int concurrentWorkflows;
  private final Mix mix;
  private final Deque<Deque<EventType>> openWorkflows = new ArrayDeque<>();
  private final Map<Deque<EventType>, UUID> workflowIds = new IdentityHashMap<>();
  private final Map<Deque<EventType>, Integer> stepCounters = new IdentityHashMap<>();
  private final Set<String> nodes = new HashSet<>();
  private final Set<String> bridges = new HashSet<>();
  private long workflows;
  private long steps;
  private long transitions;
  private long stamps;

  public Workload(int concurrentWorkflows, long seed) {
    this(concurrentWorkflows, seed, Mix.ALL);
  }

  public Workload(int concurrentWorkflows, long seed, Mix mix) {
    this.concurrentWorkflows = concurrentWorkflows;
    this.random = new Random(seed);
    this.mix = mix;
  }

  /** From now on about {@code workflows} workflows are in progress at once (fewer: a workflow's events come closer together). */
  public void concurrency(int workflows) {
    this.concurrentWorkflows = workflows;
  }

  /** The next event, stamped {@code now}. */
  public TestEvents.Event next(Instant now) {
    int roll = mix == Mix.ALL ? random.nextInt(100) : 100;
    if (roll < 4) {
      return heartbeat(now);
    }
    if (roll < 5) {
      return aggregation(now);
    }
    while (openWorkflows.size() < concurrentWorkflows) {
      openWorkflows.add(newWorkflow());
    }
    Deque<EventType> workflow = openWorkflows.poll();
    EventType type = workflow.poll();
    TestEvents.Event event = workflowEvent(workflow, type, now);
    if (workflow.isEmpty()) {
      workflowIds.remove(workflow);
      stepCounters.remove(workflow);
    } else {
      openWorkflows.add(workflow);
    }
    return event;
  }

  /** The rows the events produced so far must leave, by table; workflows cut off mid-way count as started. */
  public Map<String, Long> expectedRows() {
    Map<String, Long> rows = new LinkedHashMap<>();
    rows.put("workflow_executions", workflows);
    rows.put("workflow_steps", steps);
    rows.put("metadata_stamps", stamps);
    rows.put("fsm_transitions", transitions);
    rows.put("bridge_states", (long) bridges.size());
    rows.put("node_registrations", (long) nodes.size());
    return rows;
  }

  private Deque<EventType> newWorkflow() {
    Deque<EventType> plan = new ArrayDeque<>();
    plan.add(EventType.WORKFLOW_STARTED);
    int stepCount = 3 + random.nextInt(8);
    for (int i = 0; i < stepCount; i++) {
      plan.add(EventType.STEP_COMPLETED);
      if (mix == Mix.ALL) {
        plan.add(EventType.STATE_TRANSITION);
      }
    }
    if (mix == Mix.ALL) {
      plan.add(EventType.STAMP_CREATED);
      plan.add(random.nextInt(100) < 5 ? EventType.WORKFLOW_FAILED : EventType.WORKFLOW_COMPLETED);
    }
    workflowIds.put(plan, UUID.randomUUID());
    stepCounters.put(plan, 0);
    return plan;
  }

  private TestEvents.Event workflowEvent(Deque<EventType> plan, EventType type, Instant now) {
    UUID workflow = workflowIds.get(plan);
    JsonObject data = switch (type) {
      case WORKFLOW_STARTED -> {
        workflows++;
        yield new JsonObject().put("workflow_type", "metadata_stamping").put("current_state", "PROCESSING")
            .put("namespace", "omninode.bench").put("started_at", now.toString())
            .put("metadata", new JsonObject().put("source", "bench").put("priority", random.nextInt(5)));
      }
      case STEP_COMPLETED -> {
        steps++;
        int order = stepCounters.merge(plan, 1, Integer::sum);
        yield new JsonObject().put("workflow_id", workflow.toString()).put("step_name", "step_" + order)
            .put("step_order", order).put("status", "COMPLETED").put("execution_time_ms", 1 + random.nextInt(50))
            .put("step_data", new JsonObject().put("bytes", random.nextInt(1 << 20)));
      }
      case STATE_TRANSITION -> {
        transitions++;
        int order = stepCounters.get(plan);
        yield new JsonObject().put("entity_id", workflow.toString()).put("entity_type", "workflow")
            .put("from_state", "STEP_" + (order - 1)).put("to_state", "STEP_" + order).put("transition_event", "advance")
            .put("transition_data", new JsonObject().put("step", order));
      }
      case STAMP_CREATED -> {
        stamps++;
        yield new JsonObject().put("workflow_correlation_id", workflow.toString())
            .put("file_hash", Long.toHexString(random.nextLong()) + Long.toHexString(random.nextLong()))
            .put("namespace", "omninode.bench").put("stamp_data", new JsonObject().put("algorithm", "blake3"));
      }
      case WORKFLOW_COMPLETED -> new JsonObject().put("current_state", "COMPLETED").put("completed_at", now.toString())
          .put("execution_time_ms", 100 + random.nextInt(5_000));
      case WORKFLOW_FAILED -> new JsonObject().put("current_state", "FAILED").put("completed_at", now.toString())
          .put("execution_time_ms", 100 + random.nextInt(5_000)).put("error_message", "step failed: disk full");
      default -> throw new IllegalStateException("not a workflow event: " + type);
    };
    return envelope(type, workflow.toString(), workflow.toString(), now, data);
  }

  private TestEvents.Event aggregation(Instant now) {
    String bridge = new UUID(0xB1D6EL, random.nextInt(BRIDGES)).toString();
    bridges.add(bridge);
    return envelope(EventType.STATE_AGGREGATION_COMPLETED, bridge, bridge, now, new JsonObject()
        .put("bridge_id", bridge).put("namespace", "omninode.bench").put("total_workflows_processed", workflows)
        .put("total_items_aggregated", steps).put("current_fsm_state", "ACTIVE")
        .put("last_aggregation_timestamp", now.toString()).put("aggregation_metadata", new JsonObject()));
  }

  private TestEvents.Event heartbeat(Instant now) {
    String node = "node-" + random.nextInt(NODES);
    nodes.add(node);
    return envelope(EventType.NODE_HEARTBEAT, null, node, now, new JsonObject().put("node_id", node)
        .put("node_type", "orchestrator").put("node_version", "1.0.0").put("health_status", "HEALTHY")
        .put("last_heartbeat", now.toString()).put("capabilities", new JsonObject().put("stamping", true)));
  }

  private static TestEvents.Event envelope(EventType type, String correlationId, String key, Instant now,
      JsonObject data) {
    JsonObject envelope = new JsonObject()
        .put("envelope_version", "1.0")
        .put("event_id", UUID.randomUUID().toString())
        .put("event_type", type.name())
        .put("event_version", "1.0")
        .put("timestamp", now.toString())
        .put("correlation_id", correlationId)
        .put("source_service", "bench")
        .put("payload", new JsonObject().put(type.operation().dataField(), data));
    return new TestEvents.Event(type, key, envelope);
  }
}
