package io.omninode.bridge.adapter.ingest;

import io.omninode.bridge.adapter.config.ValidationSettings;
import io.omninode.bridge.adapter.contract.Envelopes;
import io.omninode.bridge.adapter.contract.ErrorType;
import io.omninode.bridge.adapter.validation.JsonNode;
import io.omninode.bridge.adapter.validation.JsonTree;
import io.omninode.bridge.adapter.validation.ValidationException;

/**
 * Decodes one Kafka record value: the message-level rules (size, UTF-8, JSON) here, the envelope's
 * by {@link Envelopes}, the payload's own fields later by the operation. The JSON is read once into
 * nodes that keep their text, so that JSONB values are stored as sent.
 */
public class EnvelopeDecoder {

  private final ValidationSettings limits;

  public EnvelopeDecoder(ValidationSettings limits) {
    this.limits = limits;
  }

  /**
   * Any value decodes to an accepted request or to a rejection naming the field and the rule; an
   * exception means a fault of the adapter's own, which the consumer dead-letters as such.
   */
  public Decoded decode(String topic, byte[] value, long recordTimestampMs) {
    if (value == null) {
      return new Decoded.Rejected(ErrorType.INVALID_JSON, "value", "required", "is empty (tombstone)");
    }
    if (value.length > limits.maxMessageBytes()) {
      return new Decoded.Rejected(ErrorType.VALIDATION_ERROR, "value", "max_message_bytes",
          "is " + value.length + " bytes, more than " + limits.maxMessageBytes());
    }
    JsonNode.Obj envelope;
    try {
      envelope = JsonTree.parseObject(value, Envelopes.ENVELOPE_OBJECTS);
    } catch (JsonTree.NotJson notJson) {
      return new Decoded.Rejected(ErrorType.INVALID_JSON, "value", "json", "is not a JSON object: " + notJson.getMessage());
    } catch (ValidationException notUnicode) {
      return new Decoded.Rejected(ErrorType.VALIDATION_ERROR, notUnicode.field(), notUnicode.rule(),
          notUnicode.getMessage());
    }
    try {
      return new Decoded.Accepted(Envelopes.fromEnvelope(topic, envelope, recordTimestampMs, limits));
    } catch (ValidationException invalid) {
      ErrorType type = "event_type".equals(invalid.field()) && !"topic".equals(invalid.rule())
          ? ErrorType.UNKNOWN_EVENT_TYPE : ErrorType.VALIDATION_ERROR;
      return new Decoded.Rejected(type, invalid.field(), invalid.rule(), invalid.getMessage(),
          envelope.get("correlation_id") instanceof JsonNode.Str correlation ? correlation.value() : null);
    }
  }
}
