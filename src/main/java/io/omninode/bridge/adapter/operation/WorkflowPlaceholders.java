package io.omninode.bridge.adapter.operation;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

/**
 * Makes sure a workflow_executions row exists for every correlation id a step or stamp names,
 * so that events arriving before their WORKFLOW_STARTED neither fail nor get lost. The
 * placeholder ('UNKNOWN', 'PENDING', no updated_at) is overwritten when the start arrives.
 */
final class WorkflowPlaceholders {

  static final String UNKNOWN_TYPE = "UNKNOWN";
  static final String PENDING_STATE = "PENDING";

  static final String ENSURE_WORKFLOWS = """
      INSERT INTO workflow_executions
        (correlation_id, workflow_type, current_state, namespace, started_at, metadata, updated_at)
      SELECT p.correlation_id, 'UNKNOWN', 'PENDING', p.namespace, p.seen_at, '{}'::jsonb, NULL
      FROM unnest($1::uuid[], $2::text[], $3::timestamptz[]) AS p(correlation_id, namespace, seen_at)
      ON CONFLICT (correlation_id) DO NOTHING
      """;

  /** What one event knows of its workflow. */
  record Reference(UUID correlationId, String namespace, OffsetDateTime seenAt) {
  }

  private WorkflowPlaceholders() {
  }

  /**
   * Sends the placeholder insert on {@code conn} (not awaited: the caller pipelines its own
   * statement behind it, which then sees every referenced workflow).
   */
  static Future<RowSet<Row>> ensure(SqlConnection conn, List<Reference> references) {
    // one row per workflow, in key order, so concurrent statements lock in the same order
    Map<UUID, Reference> distinct = new TreeMap<>();
    references.forEach(ref -> distinct.putIfAbsent(ref.correlationId(), ref));
    List<Reference> rows = List.copyOf(distinct.values());
    return conn.preparedQuery(ENSURE_WORKFLOWS).execute(Tuple.of(
        Unnest.uuids(rows, Reference::correlationId),
        Unnest.strings(rows, Reference::namespace),
        Unnest.timestamps(rows, Reference::seenAt)));
  }
}
