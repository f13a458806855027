package io.omninode.bridge.adapter.operation;

import io.omninode.bridge.adapter.contract.OperationRequest;
import io.omninode.bridge.adapter.contract.OperationType;
import io.omninode.bridge.adapter.validation.Fields;
import io.omninode.bridge.adapter.validation.JsonText;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * STAMP_CREATED -> metadata_stamps. {@code workflow_correlation_id} references
 * workflow_executions(id), so the stamp's workflow correlation id is resolved to that id by
 * {@link Workflows} (a placeholder row when needed, as for steps). A stamp without a workflow keeps NULL.
 */
public final class PersistMetadataStamp implements Operation<PersistMetadataStamp.Stamp> {

  static final String INSERT_STAMPS = """
      INSERT INTO metadata_stamps (id, workflow_correlation_id, file_hash, stamp_data, namespace, created_at)
      SELECT s.id, s.workflow_id, s.file_hash, s.stamp_data::jsonb, s.namespace, s.created_at
      FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], $5::text[], $6::timestamptz[])
        AS s(id, workflow_id, file_hash, stamp_data, namespace, created_at)
      ON CONFLICT (id) DO NOTHING
      RETURNING id
      """;

  private final Workflows workflows;

  PersistMetadataStamp(Workflows workflows) {
    this.workflows = workflows;
  }

  /** One stamp row, still naming its workflow (if any) by correlation id. */
  record Stamp(UUID id, UUID workflowCorrelationId, String fileHash, JsonText stampData, String namespace,
      OffsetDateTime createdAt) {
  }

  @Override
  public OperationType type() {
    return OperationType.PERSIST_METADATA_STAMP;
  }

  @Override
  public Stamp toRow(OperationRequest request) {
    Fields data = request.data();
    UUID fromData = data.optionalUuid("workflow_correlation_id", "workflow_id");
    UUID workflow = fromData != null ? fromData : request.correlationId();
    String fileHash = data.requiredString("file_hash", 128);
    String namespace = data.requiredIdentifier("namespace", 255);
    JsonText stampData = data.unmapped(data.optionalObject("stamp_data"));
    return new Stamp(request.rowId("metadata_stamps"), workflow, fileHash, stampData, namespace, request.eventTime());
  }

  @Override
  public Future<int[]> persist(Pool pool, List<Stamp> rows) {
    List<Workflows.Reference> references = rows.stream()
        .filter(stamp -> stamp.workflowCorrelationId() != null)
        .map(stamp -> new Workflows.Reference(stamp.workflowCorrelationId(), stamp.namespace(), stamp.createdAt()))
        .toList();
    return workflows.ids(pool, references)
        .compose(ids -> pool.preparedQuery(INSERT_STAMPS).execute(Tuple.of(
            Unnest.uuids(rows, Stamp::id),
            Unnest.uuids(rows, stamp -> stamp.workflowCorrelationId() == null ? null : ids.get(stamp.workflowCorrelationId())),
            Unnest.strings(rows, Stamp::fileHash),
            Unnest.jsons(rows, Stamp::stampData),
            Unnest.strings(rows, Stamp::namespace),
            Unnest.timestamps(rows, Stamp::createdAt))))
        .onFailure(failure -> workflows.forgetIfGone(failure, references.stream().map(Workflows.Reference::correlationId).toList()))
        .map(inserted -> Unnest.affected(rows, Stamp::id, inserted, UUID.class));
  }
}
