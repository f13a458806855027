package io.omninode.bridge.adapter.ingest;

import io.omninode.bridge.adapter.config.ValidationSettings;
import io.omninode.bridge.adapter.contract.Envelopes;
import io.omninode.bridge.adapter.contract.ErrorType;
import io.omninode.bridge.adapter.validation.ValidationException;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;

/**
 * Decodes one Kafka record value: the message-level rules (size, JSON) here, the envelope's by
 * {@link Envelopes}, the payload's own fields later by the operation.
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
    JsonObject envelope;
    try {
      envelope = new JsonObject(Buffer.buffer(value));
    } catch (RuntimeException notJson) {
      return new Decoded.Rejected(ErrorType.INVALID_JSON, "value", "json",
          "is not a JSON object: " + firstLine(notJson.getMessage()));
    }
    try {
      return new Decoded.Accepted(Envelopes.fromEnvelope(topic, envelope, recordTimestampMs, limits));
    } catch (ValidationException invalid) {
      ErrorType type = "event_type".equals(invalid.field()) && !"topic".equals(invalid.rule())
          ? ErrorType.UNKNOWN_EVENT_TYPE : ErrorType.VALIDATION_ERROR;
      return new Decoded.Rejected(type, invalid.field(), invalid.rule(), invalid.getMessage(),
          envelope.getValue("correlation_id") instanceof String correlation ? correlation : null);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unparseable";
    }
    int end = message.indexOf('\n');
    String line = end < 0 ? message : message.substring(0, end);
    return line.length() <= 100 ? line : line.substring(0, 100) + "...";
  }
}
