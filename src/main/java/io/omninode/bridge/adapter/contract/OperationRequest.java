package io.omninode.bridge.adapter.contract;

import io.omninode.bridge.adapter.validation.Fields;
import io.omninode.bridge.adapter.validation.ValidationException;

import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * One request to an operation, parsed once by {@link Envelopes}: who asked, which event it came
 * from, when the event happened, and the operation's data object (validated by the operation).
 *
 * @param eventType the event's type; null for a direct request that does not name one
 */
public record OperationRequest(
    OperationType type,
    UUID correlationId,
    UUID eventId,
    EventType eventType,
    OffsetDateTime eventTime,
    Fields data) {

  /**
   * A stable id for the row one event appends to {@code table}: the name-based (MD5) UUID of
   * {@code "<table>:<event id>"}, as every version has written it, so that replaying an event already
   * written changes nothing.
   */
  public UUID rowId(String table) {
    return RowIds.of(table, eventId);
  }

  public UUID requireCorrelationId(UUID fromData, String field) {
    UUID id = fromData != null ? fromData : correlationId;
    if (id == null) {
      throw new ValidationException(field, "required", "is required (or the envelope's correlation_id)");
    }
    return id;
  }
}
