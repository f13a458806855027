package io.omninode.bridge.adapter.redrive;

import io.omninode.bridge.adapter.contract.ErrorType;
import io.omninode.bridge.adapter.deadletter.DeadLetter;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Consumer;

/** Dead-letter records as the adapter writes them: made by its own {@link DeadLetter}, not by hand. */
final class Letters {

  static final String TOPIC = "dev.omninode-bridge.orchestrator.step-completed.v1";
  static final String DLQ = TOPIC + ".dlq";
  static final Instant FAILED_AT = Instant.parse("2026-11-24T10:00:00Z");
  static final long ORIGINAL_TIME_MS = Instant.parse("2026-11-24T09:59:59.500Z").toEpochMilli();

  private Letters() {
  }

  static ConsumerRecord<byte[], byte[]> original(String topic, int partition, long offset, byte[] value,
      RecordHeaders headers) {
    return new ConsumerRecord<>(topic, partition, offset, ORIGINAL_TIME_MS, TimestampType.CREATE_TIME, 0,
        value == null ? -1 : value.length, utf8("key-" + offset), value, headers, Optional.empty());
  }

  static byte[] envelope(String eventId) {
    return utf8(new JsonObject().put("event_id", eventId).put("event_type", "STEP_COMPLETED").encode());
  }

  /** The dead letter of {@code original} at {@code offset} of {@link #DLQ}, as the consumer writes it. */
  static ConsumerRecord<byte[], byte[]> deadLetter(ConsumerRecord<byte[], byte[]> original, long offset,
      ErrorType type, String eventId, int retryCount, Instant failedAt) {
    DeadLetter letter = new DeadLetter(type, "workflow_step_data.step_data: is larger than 256 bytes",
        new JsonObject().put("field", "workflow_step_data.step_data").put("event_id", eventId), retryCount);
    RecordHeaders headers = new RecordHeaders();
    letter.headers(original).forEach(header -> headers.add(new RecordHeader(header.key(), header.value().getBytes())));
    byte[] value = utf8(letter.toJson(original, failedAt).encode());
    return new ConsumerRecord<>(original.topic() + ".dlq", 0, offset, failedAt.toEpochMilli(),
        TimestampType.CREATE_TIME, 0, value.length, original.key(), value, headers, Optional.empty());
  }

  /** A first dead letter of a new step event at {@code offset} of {@link #DLQ}. */
  static ConsumerRecord<byte[], byte[]> deadLetter(long offset, ErrorType type) {
    String eventId = UUID.randomUUID().toString();
    return deadLetter(original(TOPIC, 1, offset * 10, envelope(eventId), new RecordHeaders()), offset, type, eventId,
        0, FAILED_AT);
  }

  /** {@code letter} with its value changed by {@code change}: what anyone who can write the topic can write. */
  static ConsumerRecord<byte[], byte[]> rewritten(ConsumerRecord<byte[], byte[]> letter, Consumer<JsonObject> change) {
    JsonObject value = new JsonObject(new String(letter.value(), StandardCharsets.UTF_8));
    change.accept(value);
    byte[] bytes = utf8(value.encode());
    return new ConsumerRecord<>(letter.topic(), letter.partition(), letter.offset(), letter.timestamp(),
        letter.timestampType(), 0, bytes.length, letter.key(), bytes, letter.headers(), Optional.empty());
  }

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
