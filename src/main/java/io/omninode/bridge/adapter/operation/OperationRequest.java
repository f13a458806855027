package io.omninode.bridge.adapter.operation;

import io.omninode.bridge.adapter.config.ValidationSettings;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * The common part of a {@code ModelDatabaseOperationInput}-shaped request: who asked, which
 * event it came from, when the event happened, and the operation's data object.
 */
public record OperationRequest(
    OperationType type,
    UUID correlationId,
    UUID eventId,
    String eventType,
    OffsetDateTime eventTime,
    Fields data) {

  public static OperationRequest from(OperationType type, JsonObject body, ValidationSettings limits) {
    Object operation = body.getValue("operation_type");
    if (operation != null && !type.wireName().equals(operation)) {
      throw new ValidationException("operation_type", "mismatch",
          "is '" + operation + "' but this address serves " + type.wireName());
    }
    Object data = body.getValue(type.dataField());
    if (!(data instanceof JsonObject dataObject)) {
      throw new ValidationException(type.dataField(), "required", "must be a JSON object");
    }
    Object correlation = body.getValue("correlation_id");
    Object eventId = body.getValue("event_id");
    Object timestamp = body.getValue("timestamp");
    return new OperationRequest(
        type,
        correlation == null ? null : Fields.parseUuid("correlation_id", correlation),
        eventId == null ? derivedEventId(type, body) : Fields.parseUuid("event_id", eventId),
        body.getString("event_type"),
        timestamp == null ? OffsetDateTime.now() : Fields.parseTimestamp("timestamp", timestamp),
        new Fields(dataObject, type.dataField(), limits));
  }

  /** A direct request without an event id gets one from its content, so that a resend is a no-op. */
  private static UUID derivedEventId(OperationType type, JsonObject body) {
    return UUID.nameUUIDFromBytes((type.wireName() + body.encode()).getBytes(StandardCharsets.UTF_8));
  }

  /** A stable id for the row one event appends to {@code table}. */
  public UUID rowId(String table) {
    return UUID.nameUUIDFromBytes((table + ":" + eventId).getBytes(StandardCharsets.UTF_8));
  }

  public UUID requireCorrelationId(UUID fromData, String field) {
    UUID id = fromData != null ? fromData : correlationId;
    if (id == null) {
      throw new ValidationException(field, "required", "is required (or the envelope's correlation_id)");
    }
    return id;
  }
}
