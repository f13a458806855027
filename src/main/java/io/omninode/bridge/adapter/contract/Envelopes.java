package io.omninode.bridge.adapter.contract;

import io.omninode.bridge.adapter.config.ValidationSettings;
import io.omninode.bridge.adapter.validation.Fields;
import io.omninode.bridge.adapter.validation.ValidationException;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * The one parser of the event contract. Both ways in become the same {@link OperationRequest}; they
 * differ only where SPEC §1 and §4 say so:
 * <pre>
 *                     Kafka envelope (OnexEnvelopeV1)        direct request on bridge.db.&lt;operation&gt;
 *   event type        event_type, else the topic's segment   the address; event_type optional, must match
 *   event_id          required                               optional: derived from the content
 *   timestamp         optional: the Kafka record's           optional: now
 *   data object       payload.&lt;operation&gt;_data               &lt;operation&gt;_data
 * </pre>
 * Throws {@link ValidationException} naming the field and the rule.
 */
public final class Envelopes {

  private Envelopes() {
  }

  /** An envelope read from {@code topic}; {@code recordTimestampMs} stands in for a missing timestamp. */
  public static OperationRequest fromEnvelope(String topic, JsonObject envelope, long recordTimestampMs,
      ValidationSettings limits) {
    EventType type = eventType(topic, declaredEventType(envelope), limits);
    UUID eventId = uuid(envelope, "event_id");
    if (eventId == null) {
      throw new ValidationException("event_id", "required", "is required");
    }
    if (!(envelope.getValue("payload") instanceof JsonObject payload)) {
      throw envelope.getValue("payload") == null ? new ValidationException("payload", "required", "is required")
          : new ValidationException("payload", "type", "must be a JSON object");
    }
    OffsetDateTime time = timestamp(envelope, limits);
    return request(type.operation(), envelope, eventId, type,
        time != null ? time : recordTime(recordTimestampMs, limits), payload, "payload.", limits);
  }

  /** A {@code ModelDatabaseOperationInput}-shaped request sent to the address of {@code operation}. */
  public static OperationRequest fromRequest(OperationType operation, JsonObject body, ValidationSettings limits) {
    Object named = body.getValue("operation_type");
    if (named != null && !operation.wireName().equals(named)) {
      throw new ValidationException("operation_type", "mismatch",
          "is '" + abbreviate(named.toString()) + "' but this address serves " + operation.wireName());
    }
    EventType type = declaredEventType(body);
    if (type != null && type.operation() != operation) {
      throw new ValidationException("event_type", "mismatch",
          "is " + type + ", an event of " + type.operation().wireName() + ", not of " + operation.wireName());
    }
    UUID eventId = uuid(body, "event_id");
    OffsetDateTime time = timestamp(body, limits);
    return request(operation, body, eventId != null ? eventId : derivedEventId(operation, body), type,
        time != null ? time : OffsetDateTime.now(ZoneOffset.UTC), body, "", limits);
  }

  private static OperationRequest request(OperationType operation, JsonObject envelope, UUID eventId, EventType type,
      OffsetDateTime eventTime, JsonObject container, String path, ValidationSettings limits) {
    String dataField = operation.dataField();
    if (!(container.getValue(dataField) instanceof JsonObject data)) {
      throw new ValidationException(path + dataField, "required", "must be a JSON object");
    }
    return new OperationRequest(operation, uuid(envelope, "correlation_id"), eventId, type, eventTime,
        new Fields(data, dataField, limits));
  }

  /** The declared event type, or null when there is none; an unknown one is rejected by name. */
  private static EventType declaredEventType(JsonObject json) {
    Object declared = json.getValue("event_type");
    if (declared == null) {
      return null;
    }
    if (!(declared instanceof String name)) {
      throw new ValidationException("event_type", "type", "must be a string");
    }
    return EventType.parse(name).orElseThrow(() -> new ValidationException("event_type", "unknown",
        "'" + abbreviate(name) + "' is not a known event type"));
  }

  private static UUID uuid(JsonObject json, String field) {
    Object value = json.getValue(field);
    return value == null ? null : Fields.parseUuid(field, value);
  }

  private static OffsetDateTime timestamp(JsonObject json, ValidationSettings limits) {
    Object value = json.getValue("timestamp");
    return value == null ? null : Fields.parseTimestamp("timestamp", value, limits);
  }

  /** An envelope without a timestamp happened when its record says (a record without one: -1, 1970). */
  private static OffsetDateTime recordTime(long recordTimestampMs, ValidationSettings limits) {
    return Fields.requireWithinWindow("timestamp", Instant.ofEpochMilli(recordTimestampMs).atOffset(ZoneOffset.UTC),
        limits, "is missing, and the record's timestamp is");
  }

  /**
   * The topic's event type, which a declared one must match: a producer allowed to write only one
   * topic (per-topic ACLs) cannot write another type's rows. With
   * {@code validation.allow_event_type_override} the declared type wins, as it did before.
   */
  private static EventType eventType(String topic, EventType declared, ValidationSettings limits) {
    EventType ofTopic = EventType.fromTopic(topic).orElse(null);
    if (declared == null && ofTopic == null) {
      throw new ValidationException("event_type", "required",
          "is missing and topic '" + abbreviate(topic) + "' names no known event type");
    }
    if (declared != null && ofTopic != null && declared != ofTopic && !limits.allowEventTypeOverride()) {
      throw new ValidationException("event_type", "topic", "is " + declared + " but topic '" + abbreviate(topic)
          + "' carries " + ofTopic + " events (validation.allow_event_type_override)");
    }
    return declared != null ? declared : ofTopic;
  }

  /** A direct request without an event id gets one from its content, so that a resend is a no-op. */
  private static UUID derivedEventId(OperationType operation, JsonObject body) {
    return UUID.nameUUIDFromBytes((operation.wireName() + body.encode()).getBytes(StandardCharsets.UTF_8));
  }

  static String abbreviate(String text) {
    return text.length() <= 100 ? text : text.substring(0, 100) + "...";
  }
}
