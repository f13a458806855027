package io.omninode.bridge.adapter.ingest;

import io.omninode.bridge.adapter.config.ValidationSettings;
import io.omninode.bridge.adapter.operation.Fields;
import io.omninode.bridge.adapter.operation.OperationRequest;
import io.omninode.bridge.adapter.operation.ValidationException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.UUID;

/**
 * Decodes one Kafka record value (an OnexEnvelopeV1) into the request of its operation, with the
 * envelope's ids and timestamp parsed once (the typed form of
 * {@code {operation_type, correlation_id, event_id, event_type, timestamp, <operation>_data}}).
 * Envelope-level rules live here; the payload's own fields are validated by the operation.
 */
public final class EnvelopeDecoder {

  public static final String INVALID_JSON = "INVALID_JSON";
  public static final String UNKNOWN_EVENT_TYPE = "UNKNOWN_EVENT_TYPE";
  public static final String VALIDATION_ERROR = "VALIDATION_ERROR";

  private final ValidationSettings limits;

  public EnvelopeDecoder(ValidationSettings limits) {
    this.limits = limits;
  }

  /** Never throws: any value decodes to an accepted request or to a rejection naming the field and the rule. */
  public Decoded decode(String topic, byte[] value, long recordTimestampMs) {
    if (value == null) {
      return new Decoded.Rejected(INVALID_JSON, "value", "required", "is empty (tombstone)");
    }
    if (value.length > limits.maxMessageBytes()) {
      return new Decoded.Rejected(VALIDATION_ERROR, "value", "max_message_bytes",
          "is " + value.length + " bytes, more than " + limits.maxMessageBytes());
    }
    JsonObject envelope;
    try {
      envelope = new JsonObject(Buffer.buffer(value));
    } catch (RuntimeException notJson) {
      return new Decoded.Rejected(INVALID_JSON, "value", "json", "is not a JSON object: " + firstLine(notJson.getMessage()));
    }
    try {
      return accept(topic, envelope, recordTimestampMs);
    } catch (ValidationException invalid) {
      String errorType = "event_type".equals(invalid.field()) ? UNKNOWN_EVENT_TYPE : VALIDATION_ERROR;
      return new Decoded.Rejected(errorType, invalid.field(), invalid.rule(), invalid.getMessage(),
          envelope.getValue("correlation_id") instanceof String correlation ? correlation : null);
    } catch (RuntimeException unexpected) {
      // a value of a type no rule foresaw (e.g. a JSON array where an object belongs): still a named rejection
      return new Decoded.Rejected(VALIDATION_ERROR, "value", "structure", "is malformed: " + unexpected);
    }
  }

  private Decoded accept(String topic, JsonObject envelope, long recordTimestampMs) {
    EventType type = eventType(topic, envelope);
    UUID eventId = Fields.parseUuid("event_id", require(envelope, "event_id"));
    Object correlation = envelope.getValue("correlation_id");
    UUID correlationId = correlation == null ? null : Fields.parseUuid("correlation_id", correlation);
    Object timestamp = envelope.getValue("timestamp");
    OffsetDateTime eventTime = timestamp == null
        ? Instant.ofEpochMilli(recordTimestampMs).atOffset(java.time.ZoneOffset.UTC)
        : Fields.parseTimestamp("timestamp", timestamp);
    String dataField = type.operation().dataField();
    if (!(require(envelope, "payload") instanceof JsonObject payload)) {
      throw new ValidationException("payload", "type", "must be a JSON object");
    }
    if (!(payload.getValue(dataField) instanceof JsonObject data)) {
      throw new ValidationException("payload." + dataField, "required", "must be a JSON object");
    }
    return new Decoded.Accepted(type, new OperationRequest(type.operation(), correlationId, eventId, type.name(),
        eventTime, new Fields(data, dataField, limits)));
  }

  /** From {@code event_type}, or when absent from the topic's event-type segment. */
  private static EventType eventType(String topic, JsonObject envelope) {
    Object declared = envelope.getValue("event_type");
    if (declared == null) {
      return EventType.fromTopic(topic).orElseThrow(() -> new ValidationException("event_type", "required",
          "is missing and topic '" + topic + "' names no known event type"));
    }
    if (!(declared instanceof String name)) {
      throw new ValidationException("event_type", "type", "must be a string");
    }
    return EventType.parse(name).orElseThrow(() -> new ValidationException("event_type", "unknown",
        "'" + abbreviate(name) + "' is not a known event type"));
  }

  private static Object require(JsonObject envelope, String field) {
    Object value = envelope.getValue(field);
    if (value == null) {
      throw new ValidationException(field, "required", "is required");
    }
    return value;
  }

  private static String abbreviate(String text) {
    return text.length() <= 100 ? text : text.substring(0, 100) + "...";
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unparseable";
    }
    int end = message.indexOf('\n');
    return abbreviate(end < 0 ? message : message.substring(0, end));
  }
}
