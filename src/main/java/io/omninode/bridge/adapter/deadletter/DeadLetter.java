package io.omninode.bridge.adapter.deadletter;

import io.omninode.bridge.adapter.contract.ErrorType;
import io.omninode.bridge.adapter.contract.OperationRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaHeader;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * One rejected event as it goes to the dead-letter topic: the original record's key and headers
 * unchanged, a JSON value carrying the original message and why it was rejected (SPEC §3), and
 * {@code dlq.*} headers so that tools can route on the error without parsing the value.
 *
 * @param errorType    what kind of bad input (INVALID_JSON, VALIDATION_ERROR, DATA_ERROR...)
 * @param errorMessage what is wrong, naming the field
 * @param errorContext the field, the rule and the event's identifiers when known
 * @param retryCount   how many times the event was retried before it was found to be bad
 */
public record DeadLetter(ErrorType errorType, String errorMessage, JsonObject errorContext, int retryCount) {

  public static final String HEADER_ERROR_TYPE = "dlq.error.type";
  public static final String HEADER_ERROR_MESSAGE = "dlq.error.message";
  public static final String HEADER_ORIGINAL_TOPIC = "dlq.original.topic";
  public static final String HEADER_ORIGINAL_PARTITION = "dlq.original.partition";
  public static final String HEADER_ORIGINAL_OFFSET = "dlq.original.offset";
  /** The headers added to the original ones: dropped again when the record is redriven. */
  public static final List<String> ADDED_HEADERS = List.of(HEADER_ERROR_TYPE, HEADER_ERROR_MESSAGE,
      HEADER_ORIGINAL_TOPIC, HEADER_ORIGINAL_PARTITION, HEADER_ORIGINAL_OFFSET);

  /**
   * A letter for an event found bad: the field and rule it broke, and what is known of the event
   * ({@code request} is null when the envelope itself could not be read).
   */
  public static DeadLetter of(ErrorType errorType, String message, String field, String rule,
      OperationRequest request, String correlationId, int retryCount) {
    JsonObject context = new JsonObject().put("field", field).put("rule", rule);
    if (request != null) {
      context.put("operation_type", request.type().wireName())
          .put("event_type", request.eventType() == null ? null : request.eventType().name())
          .put("event_id", request.eventId().toString());
    }
    return new DeadLetter(errorType, message, context.put("correlation_id", correlationId), retryCount);
  }

  /** The value of the dead-letter record; the original bytes are kept as text, or as base64 if they are not UTF-8. */
  public JsonObject toJson(ConsumerRecord<byte[], byte[]> original, Instant failedAt) {
    String text = utf8(original.value());
    return new JsonObject()
        .put("original_message", text != null || original.value() == null
            ? text : Base64.getEncoder().encodeToString(original.value()))
        .put("original_message_encoding", text != null || original.value() == null ? "utf-8" : "base64")
        .put("original_topic", original.topic())
        .put("original_partition", original.partition())
        .put("original_offset", original.offset())
        .put("original_timestamp", Instant.ofEpochMilli(original.timestamp()).toString())
        .put("error_type", errorType.name())
        .put("error_message", errorMessage)
        .put("error_context", errorContext)
        .put("failed_at", failedAt.toString())
        .put("retry_count", retryCount);
  }

  /** The original headers, then the error and the original coordinates. */
  public List<KafkaHeader> headers(ConsumerRecord<byte[], byte[]> original) {
    List<KafkaHeader> headers = new ArrayList<>();
    // a null header value becomes empty: the Vert.x producer cannot carry a null one
    original.headers().forEach(header -> headers.add(
        KafkaHeader.header(header.key(), header.value() == null ? Buffer.buffer() : Buffer.buffer(header.value()))));
    headers.add(header(HEADER_ERROR_TYPE, errorType.name()));
    headers.add(header(HEADER_ERROR_MESSAGE, errorMessage));
    headers.add(header(HEADER_ORIGINAL_TOPIC, original.topic()));
    headers.add(header(HEADER_ORIGINAL_PARTITION, String.valueOf(original.partition())));
    headers.add(header(HEADER_ORIGINAL_OFFSET, String.valueOf(original.offset())));
    return headers;
  }

  private static KafkaHeader header(String key, String value) {
    return KafkaHeader.header(key, value == null ? "" : value);
  }

  private static String utf8(byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    try {
      return StandardCharsets.UTF_8.newDecoder()
          .onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT)
          .decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException notUtf8) {
      return null;
    }
  }
}
