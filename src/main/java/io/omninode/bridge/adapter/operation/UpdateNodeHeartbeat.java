package io.omninode.bridge.adapter.operation;

import io.omninode.bridge.adapter.contract.OperationRequest;
import io.omninode.bridge.adapter.contract.OperationType;
import io.omninode.bridge.adapter.validation.Fields;
import io.omninode.bridge.adapter.validation.JsonText;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.List;

/**
 * NODE_HEARTBEAT -> node_registrations: an update of the node's heartbeat and health, applied only
 * when newer than the stored heartbeat. A node nobody registered yet gets a row (type and version
 * 'unknown' unless the heartbeat says), so that a heartbeat is never lost.
 */
public final class UpdateNodeHeartbeat implements Operation<UpdateNodeHeartbeat.Heartbeat> {

  static final String ENSURE_NODES = """
      INSERT INTO node_registrations (node_id, node_type, node_version, updated_at)
      SELECT n.node_id, COALESCE(n.node_type, 'unknown'), COALESCE(n.node_version, 'unknown'), NULL
      FROM unnest($1::text[], $2::text[], $3::text[]) AS n(node_id, node_type, node_version)
      ON CONFLICT (node_id) DO NOTHING
      """;

  static final String UPDATE_HEARTBEATS = """
      UPDATE node_registrations AS r SET
        node_type = COALESCE(h.node_type, r.node_type),
        node_version = COALESCE(h.node_version, r.node_version),
        health_status = COALESCE(h.health_status, r.health_status),
        capabilities = COALESCE(h.capabilities::jsonb, r.capabilities),
        endpoints = COALESCE(h.endpoints::jsonb, r.endpoints),
        metadata = COALESCE(h.metadata::jsonb, r.metadata),
        last_heartbeat = h.heartbeat_at,
        updated_at = h.heartbeat_at
      FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[],
                  $8::timestamptz[])
        AS h(node_id, node_type, node_version, health_status, capabilities, endpoints, metadata, heartbeat_at)
      WHERE r.node_id = h.node_id
        AND (r.last_heartbeat IS NULL OR r.last_heartbeat < h.heartbeat_at)
      RETURNING r.node_id
      """;

  static final Comparator<Heartbeat> NEWEST_LAST = Comparator.comparing(Heartbeat::heartbeatAt);

  /** One heartbeat; null fields leave the stored value as it is. */
  record Heartbeat(String nodeId, String nodeType, String nodeVersion, String healthStatus, JsonText capabilities,
      JsonText endpoints, JsonText metadata, OffsetDateTime heartbeatAt) {
  }

  @Override
  public OperationType type() {
    return OperationType.UPDATE_NODE_HEARTBEAT;
  }

  @Override
  public Heartbeat toRow(OperationRequest request) {
    Fields data = request.data();
    String nodeId = data.requiredIdentifier("node_id", 255);
    String nodeType = data.optionalIdentifier("node_type", 100);
    String nodeVersion = data.optionalString("node_version", 50);
    String health = data.optionalString("health_status", 50);
    JsonText capabilities = data.optionalObject("capabilities");
    JsonText endpoints = data.optionalObject("endpoints");
    OffsetDateTime heartbeatAt = data.optionalTimestamp("last_heartbeat");
    JsonText given = data.optionalObject("metadata");
    JsonText metadata = data.unmapped(given);
    return new Heartbeat(nodeId, nodeType, nodeVersion, health, capabilities, endpoints,
        given == null && metadata.isEmpty() ? null : metadata,
        heartbeatAt != null ? heartbeatAt : request.eventTime());
  }

  @Override
  public Future<int[]> persist(Pool pool, List<Heartbeat> rows) {
    NewestPerKey<String, Heartbeat> newest = new NewestPerKey<>(rows, Heartbeat::nodeId, NEWEST_LAST);
    List<Heartbeat> reduced = newest.rows();
    Tuple nodes = Tuple.of(
        Unnest.strings(reduced, Heartbeat::nodeId),
        Unnest.strings(reduced, Heartbeat::nodeType),
        Unnest.strings(reduced, Heartbeat::nodeVersion));
    Tuple heartbeats = Tuple.of(
        Unnest.strings(reduced, Heartbeat::nodeId),
        Unnest.strings(reduced, Heartbeat::nodeType),
        Unnest.strings(reduced, Heartbeat::nodeVersion),
        Unnest.strings(reduced, Heartbeat::healthStatus),
        Unnest.jsons(reduced, Heartbeat::capabilities),
        Unnest.jsons(reduced, Heartbeat::endpoints),
        Unnest.jsons(reduced, Heartbeat::metadata),
        Unnest.timestamps(reduced, Heartbeat::heartbeatAt));
    return pool.withConnection(conn -> {
      Future<RowSet<Row>> ensured = conn.preparedQuery(ENSURE_NODES).execute(nodes);
      Future<RowSet<Row>> updated = conn.preparedQuery(UPDATE_HEARTBEATS).execute(heartbeats);
      return Future.all(ensured, updated).map(both -> newest.affected(rows, updated.result(), String.class));
    });
  }
}
