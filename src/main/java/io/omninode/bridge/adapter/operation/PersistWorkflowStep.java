package io.omninode.bridge.adapter.operation;

import io.omninode.bridge.adapter.contract.OperationRequest;
import io.omninode.bridge.adapter.contract.OperationType;
import io.omninode.bridge.adapter.validation.Fields;
import io.omninode.bridge.adapter.validation.JsonText;
import io.omninode.bridge.adapter.validation.ValidationException;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

/**
 * STEP_COMPLETED -> workflow_steps. The step names its workflow by correlation id; {@link Workflows}
 * gives the row's id (a placeholder row for a workflow not started yet), so that the statement is a
 * plain insert.
 */
public final class PersistWorkflowStep implements Operation<PersistWorkflowStep.Step> {

  static final String UNKNOWN_NAMESPACE = "unknown";

  static final String INSERT_STEPS = """
      INSERT INTO workflow_steps
        (id, workflow_id, step_name, step_order, status, execution_time_ms, step_data, error_message, created_at)
      SELECT s.id, s.workflow_id, s.step_name, s.step_order, s.status, s.execution_time_ms, s.step_data::jsonb,
             s.error_message, s.created_at
      FROM unnest($1::uuid[], $2::uuid[], $3::text[], $4::int[], $5::text[], $6::int[], $7::text[],
                  $8::text[], $9::timestamptz[])
        AS s(id, workflow_id, step_name, step_order, status, execution_time_ms, step_data, error_message, created_at)
      ON CONFLICT (id) DO NOTHING
      RETURNING id
      """;

  private final Workflows workflows;

  PersistWorkflowStep(Workflows workflows) {
    this.workflows = workflows;
  }

  /** One step row, still naming its workflow by correlation id. */
  record Step(UUID id, UUID workflowCorrelationId, String stepName, int stepOrder, String status,
      Integer executionTimeMs, JsonText stepData, String errorMessage, OffsetDateTime createdAt) {
  }

  @Override
  public OperationType type() {
    return OperationType.PERSIST_WORKFLOW_STEP;
  }

  @Override
  public Step toRow(OperationRequest request) {
    Fields data = request.data();
    UUID workflow = request.requireCorrelationId(
        data.optionalUuid("workflow_id", "workflow_correlation_id"), "workflow_step_data.workflow_id");
    String stepName = data.requiredString("step_name", 100);
    Integer stepOrder = data.optionalInt("step_order");
    String status = data.optionalString(50, "status", "step_status");
    if (status == null) {
      throw new ValidationException("workflow_step_data.status", "required", "is required (or step_status)");
    }
    Integer executionTimeMs = data.optionalInt("execution_time_ms");
    String errorMessage = data.optionalString("error_message", Fields.MAX_TEXT);
    JsonText stepData = data.unmapped(data.optionalObject("step_data"));
    return new Step(request.rowId("workflow_steps"), workflow, stepName, stepOrder == null ? 0 : stepOrder,
        status, executionTimeMs, stepData, errorMessage, request.eventTime());
  }

  @Override
  public Future<int[]> persist(Pool pool, List<Step> rows) {
    List<Workflows.Reference> references = rows.stream()
        .map(step -> new Workflows.Reference(step.workflowCorrelationId(), UNKNOWN_NAMESPACE, step.createdAt()))
        .toList();
    return workflows.ids(pool, references)
        .compose(ids -> pool.preparedQuery(INSERT_STEPS).execute(Tuple.of(
            Unnest.uuids(rows, Step::id),
            Unnest.uuids(rows, step -> ids.get(step.workflowCorrelationId())),
            Unnest.strings(rows, Step::stepName),
            Unnest.ints(rows, Step::stepOrder),
            Unnest.strings(rows, Step::status),
            Unnest.ints(rows, Step::executionTimeMs),
            Unnest.jsons(rows, Step::stepData),
            Unnest.strings(rows, Step::errorMessage),
            Unnest.timestamps(rows, Step::createdAt))))
        .onFailure(failure -> workflows.forgetIfGone(failure, rows.stream().map(Step::workflowCorrelationId).toList()))
        .map(inserted -> Unnest.affected(rows, Step::id, inserted, UUID.class));
  }
}
