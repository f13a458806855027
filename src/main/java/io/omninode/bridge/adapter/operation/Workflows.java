package io.omninode.bridge.adapter.operation;

import io.vertx.core.Future;
import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The workflow_executions row a step or a stamp points to (its foreign key wants the row's surrogate
 * id, the events name the workflow by correlation id). Ids are remembered once learned, from the
 * executions' upserts and from here, so that most batches of steps are one plain insert. A workflow
 * not known yet gets a placeholder row ('UNKNOWN', 'PENDING', no updated_at), overwritten when its
 * start arrives, so that events arriving before their WORKFLOW_STARTED are neither failed nor lost.
 * Shared by the operation verticles (thread-safe); a forgotten or stale id only costs a lookup.
 */
public final class Workflows {

  static final String UNKNOWN_TYPE = "UNKNOWN";

  // the select sees the rows that existed when the statement began; the insert's RETURNING, the new ones
  static final String ENSURE_WORKFLOWS = """
      WITH placed AS (
        INSERT INTO workflow_executions
          (id, correlation_id, workflow_type, current_state, namespace, started_at, metadata, updated_at)
        SELECT p.id, p.correlation_id, 'UNKNOWN', 'PENDING', p.namespace, p.seen_at, '{}'::jsonb, NULL
        FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::timestamptz[]) AS p(id, correlation_id, namespace, seen_at)
        ON CONFLICT (correlation_id) DO NOTHING
        RETURNING correlation_id, id)
      SELECT correlation_id, id FROM placed
      UNION ALL
      SELECT correlation_id, id FROM workflow_executions WHERE correlation_id = ANY($2::uuid[])
      """;

  /** A row committed by another writer after the first statement began is seen by a second one. */
  static final String FIND_WORKFLOWS = """
      SELECT correlation_id, id FROM workflow_executions WHERE correlation_id = ANY($1::uuid[])
      """;

  /** Ids kept: two generations, the older dropped when the newer is full (a cheap, thread-safe LRU). */
  private static final int GENERATION_SIZE = 20_000;

  /** What one event knows of its workflow. */
  record Reference(UUID correlationId, String namespace, OffsetDateTime seenAt) {
  }

  private volatile Map<UUID, UUID> newer = new ConcurrentHashMap<>();
  private volatile Map<UUID, UUID> older = new ConcurrentHashMap<>();

  /** A workflow's row id, as an upsert of its executions returned it. */
  void learned(UUID correlationId, UUID id) {
    Map<UUID, UUID> current = newer;
    current.put(correlationId, id);
    if (current.size() > GENERATION_SIZE) {
      synchronized (this) {
        if (newer == current) {
          older = current;
          newer = new ConcurrentHashMap<>();
        }
      }
    }
  }

  /**
   * The row id of every referenced workflow: remembered ones at once, the others after ensuring
   * their rows (a placeholder where there is none). Fails only if a row cannot be found at all.
   */
  Future<Map<UUID, UUID>> ids(Pool pool, List<Reference> references) {
    Map<UUID, UUID> ids = new HashMap<>();
    Map<UUID, Reference> unknown = new TreeMap<>(); // key order: concurrent statements lock rows in one order
    for (Reference reference : references) {
      UUID id = known(reference.correlationId());
      if (id != null) {
        ids.put(reference.correlationId(), id);
      } else {
        unknown.putIfAbsent(reference.correlationId(), reference);
      }
    }
    if (unknown.isEmpty()) {
      return Future.succeededFuture(ids);
    }
    List<Reference> rows = List.copyOf(unknown.values());
    return pool.preparedQuery(ENSURE_WORKFLOWS).execute(Tuple.of(
            Unnest.uuids(rows, row -> TimeOrderedIds.next()),
            Unnest.uuids(rows, Reference::correlationId),
            Unnest.strings(rows, Reference::namespace),
            Unnest.timestamps(rows, Reference::seenAt)))
        .compose(found -> findMissing(pool, learn(found, ids), unknown.keySet()));
  }

  /** Forgets the ids of a batch whose insert found a workflow row gone (SQLSTATE 23503): the retry looks again. */
  void forgetIfGone(Throwable failure, Collection<UUID> correlationIds) {
    if (failure instanceof PgException pg && "23503".equals(pg.getSqlState())) {
      correlationIds.forEach(id -> {
        newer.remove(id);
        older.remove(id);
      });
    }
  }

  private UUID known(UUID correlationId) {
    UUID id = newer.get(correlationId);
    if (id == null) {
      id = older.get(correlationId);
      if (id != null) {
        learned(correlationId, id);
      }
    }
    return id;
  }

  private Map<UUID, UUID> learn(RowSet<Row> found, Map<UUID, UUID> ids) {
    for (Row row : found) {
      ids.put(row.getUUID(0), row.getUUID(1));
      learned(row.getUUID(0), row.getUUID(1));
    }
    return ids;
  }

  private Future<Map<UUID, UUID>> findMissing(Pool pool, Map<UUID, UUID> ids, Collection<UUID> wanted) {
    List<UUID> missing = new ArrayList<>(wanted);
    missing.removeAll(ids.keySet());
    if (missing.isEmpty()) {
      return Future.succeededFuture(ids);
    }
    return pool.preparedQuery(FIND_WORKFLOWS).execute(Tuple.of(missing.toArray(UUID[]::new)))
        .map(found -> learn(found, ids))
        .compose(all -> all.keySet().containsAll(missing) ? Future.succeededFuture(all)
            : Future.failedFuture(new IllegalStateException("workflow rows vanished while they were written: " + missing)));
  }
}
