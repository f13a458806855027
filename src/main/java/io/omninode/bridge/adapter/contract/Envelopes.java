package io.omninode.bridge.adapter.contract;

import io.omninode.bridge.adapter.config.ValidationSettings;
import io.omninode.bridge.adapter.validation.DecodedValues;
import io.omninode.bridge.adapter.validation.Fields;
import io.omninode.bridge.adapter.validation.JsonNode;
import io.omninode.bridge.adapter.validation.JsonTree;
import io.omninode.bridge.adapter.validation.ValidationException;
import io.vertx.core.json.JsonObject;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * The one parser of the event contract. Both ways in become the same {@link OperationRequest}; they
 * differ only here:
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

  /** The objects of an envelope read member by member: the envelope, its payload, the payload's data objects. */
  public static final int ENVELOPE_OBJECTS = 2;
  /** Those of a direct request: the request and its data object. */
  private static final int REQUEST_OBJECTS = 1;

  /** An envelope read from {@code topic}; {@code recordTimestampMs} stands in for a missing timestamp. */
  public static OperationRequest fromEnvelope(String topic, JsonNode.Obj envelope, long recordTimestampMs,
      ValidationSettings limits) {
    EventType type = eventType(topic, declaredEventType(envelope), limits);
    UUID eventId = uuid(envelope, "event_id");
    if (eventId == null) {
      throw new ValidationException("event_id", "required", "is required");
    }
    JsonNode payload = present(envelope, "payload");
    if (!(payload instanceof JsonNode.Obj payloadObject)) {
      throw payload == null ? new ValidationException("payload", "required", "is required")
          : new ValidationException("payload", "type", "must be a JSON object");
    }
    OffsetDateTime time = timestamp(envelope, limits);
    return request(type.operation(), envelope, eventId, type,
        time != null ? time : recordTime(recordTimestampMs, limits), payloadObject, "payload.", limits);
  }

  /**
   * A {@code ModelDatabaseOperationInput}-shaped request sent to the address of {@code operation}. Its
   * JSON was decoded by the event bus, so a number beyond a double's range already is infinite: it is
   * refused, as a string that is not Unicode text is, rather than stored changed.
   */
  public static OperationRequest fromRequest(OperationType operation, JsonObject body, ValidationSettings limits) {
    DecodedValues.check(body);
    JsonNode.Obj request = JsonTree.parseObject(body.toBuffer().getBytes(), REQUEST_OBJECTS);
    JsonNode named = present(request, "operation_type");
    if (named != null && !(named instanceof JsonNode.Str name && operation.wireName().equals(name.value()))) {
      throw new ValidationException("operation_type", "mismatch",
          "is '" + abbreviate(named.text()) + "' but this address serves " + operation.wireName());
    }
    EventType type = declaredEventType(request);
    if (type != null && type.operation() != operation) {
      throw new ValidationException("event_type", "mismatch",
          "is " + type + ", an event of " + type.operation().wireName() + ", not of " + operation.wireName());
    }
    UUID eventId = uuid(request, "event_id");
    OffsetDateTime time = timestamp(request, limits);
    return request(operation, request, eventId != null ? eventId : derivedEventId(operation, body), type,
        time != null ? time : OffsetDateTime.now(ZoneOffset.UTC), request, "", limits);
  }

  private static OperationRequest request(OperationType operation, JsonNode.Obj envelope, UUID eventId, EventType type,
      OffsetDateTime eventTime, JsonNode.Obj container, String path, ValidationSettings limits) {
    String dataField = operation.dataField();
    if (!(container.get(dataField) instanceof JsonNode.Obj data)) {
      throw new ValidationException(path + dataField, "required", "must be a JSON object");
    }
    return new OperationRequest(operation, uuid(envelope, "correlation_id"), eventId, type, eventTime,
        new Fields(data, dataField, limits));
  }

  /** The declared event type, or null when there is none; an unknown one is rejected by name. */
  private static EventType declaredEventType(JsonNode.Obj json) {
    JsonNode declared = present(json, "event_type");
    if (declared == null) {
      return null;
    }
    if (!(declared instanceof JsonNode.Str name)) {
      throw new ValidationException("event_type", "type", "must be a string");
    }
    return EventType.parse(name.value()).orElseThrow(() -> new ValidationException("event_type", "unknown",
        "'" + abbreviate(name.value()) + "' is not a known event type"));
  }

  private static UUID uuid(JsonNode.Obj json, String field) {
    JsonNode value = present(json, field);
    return value == null ? null : Fields.parseUuid(field, value);
  }

  private static OffsetDateTime timestamp(JsonNode.Obj json, ValidationSettings limits) {
    JsonNode value = present(json, "timestamp");
    return value == null ? null : Fields.parseTimestamp("timestamp", value, limits);
  }

  /** A member's value; null when it is absent or JSON null. */
  private static JsonNode present(JsonNode.Obj json, String name) {
    JsonNode value = json.get(name);
    return value instanceof JsonNode.Literal literal && literal.value() == null ? null : value;
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
