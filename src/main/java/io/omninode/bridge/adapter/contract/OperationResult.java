package io.omninode.bridge.adapter.contract;

import io.omninode.bridge.adapter.validation.ValidationException;
import io.vertx.core.json.JsonObject;

import java.util.UUID;

/**
 * The reply of an operation address, in {@code ModelDatabaseOperationOutput}'s shape: success,
 * operation_type, correlation_id, rows_affected, execution_time_ms, error_type and error_message, and
 * for a refused request error_field and error_rule.
 *
 * @param finishedAtNanos when the result was made ({@code System.nanoTime()} of this JVM): the start of
 *                        the reply's way back, for the stage timers; not part of the JSON
 */
public record OperationResult(
    boolean success,
    OperationType type,
    UUID correlationId,
    int rowsAffected,
    long executionTimeMs,
    ErrorType errorType,
    String errorMessage,
    String errorField,
    String errorRule,
    long finishedAtNanos) {

  public static OperationResult persisted(OperationType type, UUID correlationId, int rows, long elapsedMs) {
    return new OperationResult(true, type, correlationId, rows, elapsedMs, null, null, null, null, System.nanoTime());
  }

  public static OperationResult failed(OperationType type, UUID correlationId, long elapsedMs,
      ErrorType errorType, String message) {
    return new OperationResult(false, type, correlationId, 0, elapsedMs, errorType, message, null, null,
        System.nanoTime());
  }

  /** A request that breaks the contract: the reply names the field and the rule. */
  public static OperationResult invalid(OperationType type, UUID correlationId, long elapsedMs,
      ValidationException invalid) {
    return new OperationResult(false, type, correlationId, 0, elapsedMs, ErrorType.VALIDATION_ERROR,
        invalid.getMessage(), invalid.field(), invalid.rule(), System.nanoTime());
  }

  public JsonObject toJson() {
    JsonObject json = new JsonObject()
        .put("success", success)
        .put("operation_type", type.wireName())
        .put("correlation_id", correlationId == null ? null : correlationId.toString())
        .put("rows_affected", rowsAffected)
        .put("execution_time_ms", executionTimeMs)
        .put("error_type", errorType == null ? null : errorType.name())
        .put("error_message", errorMessage);
    if (errorField != null) {
      json.put("error_field", errorField).put("error_rule", errorRule);
    }
    return json;
  }
}
