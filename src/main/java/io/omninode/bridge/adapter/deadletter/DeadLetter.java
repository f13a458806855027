package io.omninode.bridge.adapter.deadletter;

import io.omninode.bridge.adapter.contract.ErrorType;
import io.omninode.bridge.adapter.contract.OperationRequest;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaHeader;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One rejected event as it goes to the dead-letter topic: the original record's key and headers
 * unchanged, a JSON value carrying the original message and why it was rejected, and
 * {@code dlq.*} headers so that tools can route on the error without parsing the value. A letter
 * too large for the producer is cut to fit by {@link LetterRecord}.
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
  /** {@code true} on a letter cut to fit the producer's limit: it does not hold the whole original record. */
  public static final String HEADER_ORIGINAL_TRUNCATED = "dlq.original.truncated";
  /** The headers added to the original ones: dropped again when the record is redriven. */
  public static final List<String> ADDED_HEADERS = List.of(HEADER_ERROR_TYPE, HEADER_ERROR_MESSAGE,
      HEADER_ORIGINAL_TOPIC, HEADER_ORIGINAL_PARTITION, HEADER_ORIGINAL_OFFSET, HEADER_ORIGINAL_TRUNCATED);

  /** The value fields of a cut letter that say which part of the original record it lacks. */
  static final String MESSAGE_TRUNCATED = "original_message_truncated";
  static final String KEY_DROPPED = "original_key_dropped";
  static final String HEADERS_DROPPED = "original_headers_dropped";

  /** How much of each error text a letter keeps when even the error does not fit (a huge correlation id, say). */
  private static final int BOUNDED_ERROR_CHARS = 1024;

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

  /**
   * Whether a letter's value says it lacks part of the original record (message, key or headers):
   * a letter cut to fit, which cannot stand for the original.
   */
  public static boolean isCut(JsonObject value) {
    return Boolean.TRUE.equals(value.getValue(MESSAGE_TRUNCATED)) || Boolean.TRUE.equals(value.getValue(KEY_DROPPED))
        || Boolean.TRUE.equals(value.getValue(HEADERS_DROPPED));
  }

  /** The value of the dead-letter record; the original bytes are kept as text, or as base64 if they are not UTF-8. */
  public JsonObject toJson(ConsumerRecord<byte[], byte[]> original, Instant failedAt) {
    OriginalMessage message = OriginalMessage.of(original.value());
    return toJson(original, failedAt, message.whole(), message.encoding());
  }

  /** The value with {@code message} in place of the whole original message. */
  JsonObject toJson(ConsumerRecord<byte[], byte[]> original, Instant failedAt, String message, String encoding) {
    return new JsonObject()
        .put("original_message", message)
        .put("original_message_encoding", encoding)
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
    headers.addAll(addedHeaders(original));
    return headers;
  }

  /** The headers a letter adds to the original ones: the error and the original coordinates. */
  List<KafkaHeader> addedHeaders(ConsumerRecord<byte[], byte[]> original) {
    return new ArrayList<>(List.of(
        header(HEADER_ERROR_TYPE, errorType.name()),
        header(HEADER_ERROR_MESSAGE, errorMessage),
        header(HEADER_ORIGINAL_TOPIC, original.topic()),
        header(HEADER_ORIGINAL_PARTITION, String.valueOf(original.partition())),
        header(HEADER_ORIGINAL_OFFSET, String.valueOf(original.offset()))));
  }

  /** This letter with its error message and each text of its context cut to a bounded length. */
  DeadLetter bounded() {
    if (errorContext == null) {
      return new DeadLetter(errorType, bounded(errorMessage), null, retryCount);
    }
    JsonObject context = new JsonObject();
    errorContext.forEach(entry -> context.put(entry.getKey(),
        entry.getValue() instanceof String text ? bounded(text) : entry.getValue()));
    return new DeadLetter(errorType, bounded(errorMessage), context, retryCount);
  }

  private static String bounded(String text) {
    if (text == null || text.length() <= BOUNDED_ERROR_CHARS) {
      return text;
    }
    int end = Character.isLowSurrogate(text.charAt(BOUNDED_ERROR_CHARS)) ? BOUNDED_ERROR_CHARS - 1 : BOUNDED_ERROR_CHARS;
    return text.substring(0, end) + "...";
  }

  static KafkaHeader header(String key, String value) {
    return KafkaHeader.header(key, value == null ? "" : value);
  }
}
