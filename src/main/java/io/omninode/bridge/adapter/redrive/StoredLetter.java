package io.omninode.bridge.adapter.redrive;

import io.omninode.bridge.adapter.deadletter.DeadLetter;
import io.omninode.bridge.adapter.deadletter.RedriveHeaders;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;

/**
 * A dead letter as its topic holds it (docs/operations.md, "Failures"), and the record that puts its
 * event back where it came from: the original partition, key, value, timestamp and headers, on the
 * topic the redrive derived from the dead-letter topic (the letter's own {@code original_topic} is
 * only a claim).
 *
 * @param originalMessage the original value's bytes, null when the original was a tombstone
 */
record StoredLetter(ConsumerRecord<byte[], byte[]> record, JsonObject value, byte[] originalMessage) {

  /**
   * Null for a record the adapter did not write (no JSON object naming the original topic, partition
   * and message) and for a letter cut to fit the producer's limit: it does not hold the whole original.
   */
  static StoredLetter parse(ConsumerRecord<byte[], byte[]> record) {
    JsonObject value;
    try {
      value = new JsonObject(Buffer.buffer(record.value()));
    } catch (RuntimeException notJson) {
      return null;
    }
    if (!(value.getValue("original_topic") instanceof String)
        || !(value.getValue("original_partition") instanceof Number)) {
      return null;
    }
    if (DeadLetter.isCut(value) || record.headers().lastHeader(DeadLetter.HEADER_ORIGINAL_TRUNCATED) != null) {
      return null;
    }
    try {
      return new StoredLetter(record, value, decode(value));
    } catch (IllegalArgumentException | ClassCastException badMessage) {
      return null;
    }
  }

  /** Where on which dead-letter topic it is: {@code <topic>/<partition>/<offset>}. */
  String coordinates() {
    return record.topic() + "/" + record.partition() + "/" + record.offset();
  }

  String errorType() {
    return text(value, "error_type");
  }

  String errorMessage() {
    return text(value, "error_message");
  }

  String originalTopic() {
    return value.getString("original_topic");
  }

  /** The {@code original_partition} as the letter holds it, for a report: any JSON number. */
  Object originalPartitionClaim() {
    return value.getValue("original_partition");
  }

  /** Null unless {@code original_partition} is an integer from 0 to {@link Integer#MAX_VALUE}. */
  Integer originalPartition() {
    Object partition = value.getValue("original_partition");
    return (partition instanceof Integer || partition instanceof Long) && ((Number) partition).longValue() >= 0
        && ((Number) partition).longValue() <= Integer.MAX_VALUE ? ((Number) partition).intValue() : null;
  }

  Instant failedAt() {
    try {
      return Instant.parse(text(value, "failed_at"));
    } catch (DateTimeParseException | NullPointerException unreadable) {
      return null;
    }
  }

  /** The event's id from the error context, or else from the original envelope when it is JSON. */
  String eventId() {
    String fromContext = value.getValue("error_context") instanceof JsonObject context
        ? text(context, "event_id") : null;
    if (fromContext != null || originalMessage == null) {
      return fromContext;
    }
    try {
      return text(new JsonObject(Buffer.buffer(originalMessage)), "event_id");
    } catch (RuntimeException notJson) {
      return null;
    }
  }

  int retryCount() {
    return value.getValue("retry_count") instanceof Number count ? count.intValue() : 0;
  }

  /** The count the event carries when it is put back: one more try. */
  int nextRetryCount() {
    return retryCount() + 1;
  }

  /** The event was dead-lettered again after an earlier redrive. */
  boolean failedAgain() {
    return RedriveHeaders.wasRedriven(record);
  }

  /**
   * The original record again, on {@code topic}, with the headers it had before it was dead-lettered
   * (the adapter's {@code dlq.*} dropped, an earlier redrive's replaced) and where it comes from now.
   * The original partition keeps the key's order; the caller has checked that {@code topic} has it.
   * The original timestamp keeps an envelope without one at its event time.
   */
  ProducerRecord<byte[], byte[]> republished(String topic, Instant at) {
    Integer partition = originalPartition();
    if (partition == null) {
      throw new IllegalStateException("dead letter " + coordinates() + " names no partition to put it back on");
    }
    RecordHeaders headers = new RecordHeaders();
    for (Header header : record.headers()) {
      if (!DeadLetter.ADDED_HEADERS.contains(header.key()) && !RedriveHeaders.ALL.contains(header.key())) {
        headers.add(header);
      }
    }
    headers.add(RedriveHeaders.DLQ_TOPIC, utf8(record.topic()));
    headers.add(RedriveHeaders.DLQ_PARTITION, utf8(String.valueOf(record.partition())));
    headers.add(RedriveHeaders.DLQ_OFFSET, utf8(String.valueOf(record.offset())));
    headers.add(RedriveHeaders.AT, utf8(at.toString()));
    headers.add(RedriveHeaders.RETRY_COUNT, utf8(String.valueOf(nextRetryCount())));
    return new ProducerRecord<>(topic, partition, originalTimestamp(), record.key(), originalMessage, headers);
  }

  /** Null (the producer's clock) when it is missing or before the epoch, which a record cannot carry. */
  private Long originalTimestamp() {
    try {
      long millis = Instant.parse(text(value, "original_timestamp")).toEpochMilli();
      return millis < 0 ? null : millis;
    } catch (DateTimeParseException | NullPointerException unreadable) {
      return null;
    }
  }

  private static byte[] decode(JsonObject value) {
    String message = value.getString("original_message");
    if (message == null) {
      return null;
    }
    return "base64".equals(value.getString("original_message_encoding"))
        ? Base64.getDecoder().decode(message) : utf8(message);
  }

  private static String text(JsonObject json, String field) {
    return json.getValue(field) instanceof String text ? text : null;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
