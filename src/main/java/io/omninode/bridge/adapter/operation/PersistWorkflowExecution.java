package io.omninode.bridge.adapter.operation;

import io.omninode.bridge.adapter.contract.EventType;
import io.omninode.bridge.adapter.contract.OperationRequest;
import io.omninode.bridge.adapter.contract.OperationType;
import io.omninode.bridge.adapter.validation.Fields;
import io.omninode.bridge.adapter.validation.JsonText;
import io.omninode.bridge.adapter.validation.ValidationException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * WORKFLOW_STARTED / _COMPLETED / _FAILED -> workflow_executions, one upsert by correlation id
 * whose result does not depend on arrival order:
 * <ul>
 *   <li>a start owns workflow_type, namespace and started_at, and sets current_state unless the
 *       workflow already ended;</li>
 *   <li>an end (it has completed_at) owns current_state, completed_at, execution_time_ms and
 *       error_message; of two ends, the later (completed_at, current_state) wins;</li>
 *   <li>metadata is merged so that the end's keys win over the start's;</li>
 *   <li>updated_at is the latest event time seen.</li>
 * </ul>
 */
public final class PersistWorkflowExecution implements Operation<PersistWorkflowExecution.Execution> {

  // "ends" = EXCLUDED is an end that beats the stored state; repeated because SET cannot name it
  static final String UPSERT_EXECUTIONS = """
      INSERT INTO workflow_executions AS w
        (id, correlation_id, workflow_type, current_state, namespace, started_at, completed_at, execution_time_ms,
         error_message, metadata, updated_at)
      SELECT e.id, e.correlation_id, e.workflow_type, e.current_state, e.namespace, e.started_at, e.completed_at,
             e.execution_time_ms, e.error_message, e.metadata::jsonb, e.event_time
      FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[],
                  $8::int[], $9::text[], $10::text[], $11::timestamptz[])
        AS e(id, correlation_id, workflow_type, current_state, namespace, started_at, completed_at, execution_time_ms,
             error_message, metadata, event_time)
      ON CONFLICT (correlation_id) DO UPDATE SET
        workflow_type = CASE WHEN EXCLUDED.completed_at IS NULL THEN EXCLUDED.workflow_type ELSE w.workflow_type END,
        namespace = CASE WHEN EXCLUDED.completed_at IS NULL THEN EXCLUDED.namespace ELSE w.namespace END,
        started_at = CASE WHEN EXCLUDED.completed_at IS NULL THEN EXCLUDED.started_at ELSE w.started_at END,
        current_state = CASE
          WHEN EXCLUDED.completed_at IS NULL AND w.completed_at IS NULL THEN EXCLUDED.current_state
          WHEN EXCLUDED.completed_at IS NOT NULL AND (w.completed_at IS NULL
               OR (EXCLUDED.completed_at, EXCLUDED.current_state) > (w.completed_at, w.current_state))
            THEN EXCLUDED.current_state
          ELSE w.current_state END,
        completed_at = CASE WHEN EXCLUDED.completed_at IS NOT NULL AND (w.completed_at IS NULL
               OR (EXCLUDED.completed_at, EXCLUDED.current_state) > (w.completed_at, w.current_state))
            THEN EXCLUDED.completed_at ELSE w.completed_at END,
        execution_time_ms = CASE WHEN EXCLUDED.completed_at IS NOT NULL AND (w.completed_at IS NULL
               OR (EXCLUDED.completed_at, EXCLUDED.current_state) > (w.completed_at, w.current_state))
            THEN EXCLUDED.execution_time_ms ELSE w.execution_time_ms END,
        error_message = CASE WHEN EXCLUDED.completed_at IS NOT NULL AND (w.completed_at IS NULL
               OR (EXCLUDED.completed_at, EXCLUDED.current_state) > (w.completed_at, w.current_state))
            THEN EXCLUDED.error_message ELSE w.error_message END,
        metadata = CASE WHEN EXCLUDED.completed_at IS NOT NULL AND (w.completed_at IS NULL
               OR (EXCLUDED.completed_at, EXCLUDED.current_state) > (w.completed_at, w.current_state))
            THEN COALESCE(w.metadata, '{}'::jsonb) || EXCLUDED.metadata
            ELSE EXCLUDED.metadata || COALESCE(w.metadata, '{}'::jsonb) END,
        updated_at = GREATEST(w.updated_at, EXCLUDED.updated_at)
      RETURNING correlation_id, id
      """;

  private final Workflows workflows;

  PersistWorkflowExecution(Workflows workflows) {
    this.workflows = workflows;
  }

  /** One workflow event as the row it proposes; an end has a completed_at, a start has none. */
  record Execution(UUID correlationId, String workflowType, String currentState, String namespace,
      OffsetDateTime startedAt, OffsetDateTime completedAt, Integer executionTimeMs, String errorMessage,
      JsonText metadata, OffsetDateTime eventTime) {
  }

  @Override
  public OperationType type() {
    return OperationType.PERSIST_WORKFLOW_EXECUTION;
  }

  @Override
  public Execution toRow(OperationRequest request) {
    Fields data = request.data();
    UUID correlationId = request.requireCorrelationId(data.optionalUuid("correlation_id"),
        "workflow_execution_data.correlation_id");
    String type = data.optionalIdentifier("workflow_type", 100);
    String state = data.optionalString("current_state", 50);
    String namespace = data.optionalIdentifier("namespace", 255);
    OffsetDateTime startedAt = data.optionalTimestamp("started_at");
    boolean end = isEnd(request.eventType(), state, request.data());
    if (!end) {
      requirePresent(type, "workflow_type");
      requirePresent(namespace, "namespace");
    }
    OffsetDateTime completedAt = end ? data.optionalTimestamp("completed_at") : null;
    Integer executionTimeMs = end ? data.optionalInt("execution_time_ms") : null;
    String errorMessage = end ? data.optionalString("error_message", Fields.MAX_TEXT) : null;
    JsonText metadata = data.unmapped(data.optionalObject("metadata"));
    OffsetDateTime at = request.eventTime();
    return new Execution(correlationId, type != null ? type : Workflows.UNKNOWN_TYPE,
        state != null ? state : defaultState(end, request.eventType()),
        namespace != null ? namespace : PersistWorkflowStep.UNKNOWN_NAMESPACE,
        startedAt != null ? startedAt : at, end ? (completedAt != null ? completedAt : at) : null,
        executionTimeMs, errorMessage, metadata, at);
  }

  /** Each round holds at most one event per workflow: a statement may not update a row twice. */
  @Override
  public Future<int[]> persist(Pool pool, List<Execution> rows) {
    Map<UUID, Integer> seen = new HashMap<>();
    List<List<Execution>> rounds = new ArrayList<>();
    for (Execution row : rows) {
      int round = seen.merge(row.correlationId(), 1, Integer::sum) - 1;
      if (round == rounds.size()) {
        rounds.add(new ArrayList<>());
      }
      rounds.get(round).add(row);
    }
    Future<Set<Execution>> chain = Future.succeededFuture(Collections.newSetFromMap(new IdentityHashMap<>()));
    for (List<Execution> round : rounds) {
      chain = chain.compose(written -> upsert(pool, round).map(ids -> {
        round.stream().filter(row -> ids.contains(row.correlationId())).forEach(written::add);
        return written;
      }));
    }
    return chain.map(written -> rows.stream().mapToInt(row -> written.contains(row) ? 1 : 0).toArray());
  }

  private Future<Set<UUID>> upsert(Pool pool, List<Execution> round) {
    List<Execution> sorted = round.stream().sorted(Comparator.comparing(Execution::correlationId)).toList();
    Tuple columns = Tuple.of(
        Unnest.uuids(sorted, row -> TimeOrderedIds.next()),
        Unnest.uuids(sorted, Execution::correlationId),
        Unnest.strings(sorted, Execution::workflowType),
        Unnest.strings(sorted, Execution::currentState),
        Unnest.strings(sorted, Execution::namespace),
        Unnest.timestamps(sorted, Execution::startedAt),
        Unnest.timestamps(sorted, Execution::completedAt),
        Unnest.ints(sorted, Execution::executionTimeMs),
        Unnest.strings(sorted, Execution::errorMessage),
        Unnest.jsons(sorted, Execution::metadata),
        Unnest.timestamps(sorted, Execution::eventTime));
    return pool.preparedQuery(UPSERT_EXECUTIONS).execute(columns)
        .map(returned -> {
          Set<UUID> ids = new HashSet<>();
          returned.forEach(row -> {
            ids.add(row.getUUID(0));
            workflows.learned(row.getUUID(0), row.getUUID(1));
          });
          return ids;
        });
  }

  /** Event type decides; a direct request without one is an end when it says it ended. */
  private static boolean isEnd(EventType eventType, String state, Fields data) {
    if (eventType != null) {
      return eventType != EventType.WORKFLOW_STARTED;
    }
    return "COMPLETED".equals(state) || "FAILED".equals(state) || data.optionalTimestamp("completed_at") != null;
  }

  private static String defaultState(boolean end, EventType eventType) {
    if (!end) {
      return "PROCESSING";
    }
    return eventType == EventType.WORKFLOW_FAILED ? "FAILED" : "COMPLETED";
  }

  private static void requirePresent(String value, String field) {
    if (value == null) {
      throw new ValidationException("workflow_execution_data." + field, "required", "is required for a start");
    }
  }
}
