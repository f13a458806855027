package io.omninode.bridge.adapter.operation;

import io.omninode.bridge.adapter.contract.OperationRequest;
import io.omninode.bridge.adapter.contract.OperationType;
import io.omninode.bridge.adapter.validation.Fields;
import io.omninode.bridge.adapter.validation.JsonText;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;

/**
 * STATE_AGGREGATION_COMPLETED -> bridge_states, an upsert in which the newest aggregation wins
 * whatever the arrival order: newest by (last_aggregation_timestamp, totals), never by NOW().
 */
public final class PersistBridgeState implements Operation<PersistBridgeState.BridgeState> {

  static final String UPSERT_STATES = """
      INSERT INTO bridge_states AS b
        (bridge_id, namespace, total_workflows_processed, total_items_aggregated, aggregation_metadata,
         current_fsm_state, last_aggregation_timestamp, updated_at)
      SELECT s.bridge_id, s.namespace, s.workflows, s.items, s.aggregation_metadata::jsonb, s.fsm_state, s.aggregated_at,
             s.aggregated_at
      FROM unnest($1::uuid[], $2::text[], $3::int[], $4::int[], $5::text[], $6::text[], $7::timestamptz[])
        AS s(bridge_id, namespace, workflows, items, aggregation_metadata, fsm_state, aggregated_at)
      ON CONFLICT (bridge_id) DO UPDATE SET
        namespace = EXCLUDED.namespace,
        total_workflows_processed = EXCLUDED.total_workflows_processed,
        total_items_aggregated = EXCLUDED.total_items_aggregated,
        aggregation_metadata = EXCLUDED.aggregation_metadata,
        current_fsm_state = EXCLUDED.current_fsm_state,
        last_aggregation_timestamp = EXCLUDED.last_aggregation_timestamp,
        updated_at = EXCLUDED.updated_at
      WHERE b.last_aggregation_timestamp IS NULL
         OR (b.last_aggregation_timestamp, b.total_workflows_processed, b.total_items_aggregated)
          < (EXCLUDED.last_aggregation_timestamp, EXCLUDED.total_workflows_processed, EXCLUDED.total_items_aggregated)
      RETURNING bridge_id
      """;

  /** Which of two aggregations of one bridge is newer: the same order the SQL applies. */
  static final Comparator<BridgeState> NEWEST_LAST = Comparator
      .comparing(BridgeState::aggregatedAt)
      .thenComparingInt(BridgeState::workflows)
      .thenComparingInt(BridgeState::items);

  /** One bridge's aggregated state. */
  record BridgeState(UUID bridgeId, String namespace, int workflows, int items, JsonText aggregationMetadata,
      String fsmState, OffsetDateTime aggregatedAt) {
  }

  @Override
  public OperationType type() {
    return OperationType.PERSIST_BRIDGE_STATE;
  }

  @Override
  public BridgeState toRow(OperationRequest request) {
    Fields data = request.data();
    UUID bridgeId = data.requiredUuid("bridge_id");
    String namespace = data.requiredIdentifier("namespace", 255);
    int workflows = data.requiredInt("total_workflows_processed");
    int items = data.requiredInt("total_items_aggregated");
    String fsmState = data.requiredString("current_fsm_state", 50);
    OffsetDateTime aggregatedAt = data.optionalTimestamp("last_aggregation_timestamp");
    JsonText metadata = data.unmapped(data.optionalObject("aggregation_metadata"));
    return new BridgeState(bridgeId, namespace, workflows, items, metadata, fsmState,
        aggregatedAt != null ? aggregatedAt : request.eventTime());
  }

  /** Only the newest aggregation per bridge goes to PostgreSQL (one row may not be updated twice). */
  @Override
  public Future<int[]> persist(Pool pool, List<BridgeState> rows) {
    NewestPerKey<UUID, BridgeState> newest = new NewestPerKey<>(rows, BridgeState::bridgeId, NEWEST_LAST);
    List<BridgeState> reduced = newest.rows();
    Tuple columns = Tuple.of(
        Unnest.uuids(reduced, BridgeState::bridgeId),
        Unnest.strings(reduced, BridgeState::namespace),
        Unnest.ints(reduced, BridgeState::workflows),
        Unnest.ints(reduced, BridgeState::items),
        Unnest.jsons(reduced, BridgeState::aggregationMetadata),
        Unnest.strings(reduced, BridgeState::fsmState),
        Unnest.timestamps(reduced, BridgeState::aggregatedAt));
    return pool.preparedQuery(UPSERT_STATES).execute(columns)
        .map(returned -> newest.affected(rows, returned, UUID.class));
  }
}
