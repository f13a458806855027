package io.omninode.bridge.adapter.deadletter;

import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaHeader;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;

/**
 * A dead letter as the record the producer sends: the whole letter when it fits the producer's
 * {@link RecordLimit}, else a letter cut to fit. A cut letter keeps the first bytes of the original
 * message with the whole message's size and SHA-256, and says what it lacks in its value and in the
 * {@code dlq.original.truncated} header; it keeps the original key and headers while they leave room
 * for some of the message, and drops the headers, then the key, when they do not.
 *
 * @param cut whether the letter lacks part of the original record
 */
public record LetterRecord(byte[] key, byte[] value, List<KafkaHeader> headers, boolean cut) {

  /** What a fallback letter keeps of the original message: enough to tell what the event was. */
  static final int FALLBACK_MESSAGE_BYTES = 1024;
  /** A fallback letter's size at most: the broker refused a larger one, for a reason the producer did not know. */
  static final int FALLBACK_RECORD_BYTES = 16 * 1024;
  /** The original key and headers stay while they leave room for this much of the message. */
  static final int MESSAGE_BESIDE_HEADERS_BYTES = 1024;

  /** The letter whole if it fits {@code limit}, else cut to fit. */
  public static LetterRecord of(DeadLetter letter, ConsumerRecord<byte[], byte[]> original, Instant failedAt,
      RecordLimit limit) {
    LetterRecord whole = whole(letter, original, failedAt);
    if (limit.fits(whole.key, whole.value, whole.headers)) {
      return whole;
    }
    return new Cut(original, failedAt, limit, Integer.MAX_VALUE).fitting(letter);
  }

  /**
   * The smallest useful letter, for when the broker refused the letter for good: the first
   * {@value #FALLBACK_MESSAGE_BYTES} bytes of the message in at most {@value #FALLBACK_RECORD_BYTES}
   * bytes; the letter whole if it is that small already.
   */
  public static LetterRecord fallback(DeadLetter letter, ConsumerRecord<byte[], byte[]> original, Instant failedAt,
      RecordLimit limit) {
    LetterRecord cut = new Cut(original, failedAt, limit.atMost(FALLBACK_RECORD_BYTES), FALLBACK_MESSAGE_BYTES)
        .fitting(letter);
    return cut.cut ? cut : whole(letter, original, failedAt);
  }

  private static LetterRecord whole(DeadLetter letter, ConsumerRecord<byte[], byte[]> original, Instant failedAt) {
    return new LetterRecord(original.key(), encode(letter.toJson(original, failedAt)), letter.headers(original), false);
  }

  private static byte[] encode(JsonObject value) {
    return value.encode().getBytes(StandardCharsets.UTF_8);
  }

  /** One cutting of one letter: the shapes it tries, from the one that keeps most of the original. */
  private record Cut(ConsumerRecord<byte[], byte[]> original, Instant failedAt, RecordLimit limit,
      OriginalMessage message, int messageCap) {

    Cut(ConsumerRecord<byte[], byte[]> original, Instant failedAt, RecordLimit limit, int messageCap) {
      this(original, failedAt, limit, OriginalMessage.of(original.value()), messageCap);
    }

    LetterRecord fitting(DeadLetter letter) {
      int wanted = Math.min(Math.min(MESSAGE_BESIDE_HEADERS_BYTES, messageCap), message.sizeBytes());
      LetterRecord fitted = shape(letter, true, true, false, wanted);
      if (fitted == null) {
        fitted = shape(letter, true, false, false, wanted);
      }
      if (fitted == null) {
        fitted = shape(letter, false, false, false, 0);
      }
      // the error itself may be huge (a correlation id of a megabyte): bounded, it fits any sane limit
      return fitted != null ? fitted : shape(letter.bounded(), false, false, true, Integer.MIN_VALUE);
    }

    /** The letter in this shape with as much of the message as fits; null if less than {@code wanted} would. */
    private LetterRecord shape(DeadLetter letter, boolean keepKey, boolean keepHeaders, boolean errorBounded,
        int wanted) {
      byte[] key = keepKey ? original.key() : null;
      List<KafkaHeader> headers = keepHeaders ? letter.headers(original) : letter.addedHeaders(original);
      boolean keyDropped = !keepKey && original.key() != null;
      boolean headersDropped = !keepHeaders && original.headers().iterator().hasNext();
      JsonObject value = letter.toJson(original, failedAt, message.bytes() == null ? null : "", message.encoding())
          .put(DeadLetter.MESSAGE_TRUNCATED, true)
          .put("original_size_bytes", message.bytes() == null ? null : message.sizeBytes())
          .put("original_sha256", message.sha256())
          .put(DeadLetter.KEY_DROPPED, keyDropped)
          .put(DeadLetter.HEADERS_DROPPED, headersDropped);
      if (errorBounded) {
        value.put("error_truncated", true);
      }
      headers.add(DeadLetter.header(DeadLetter.HEADER_ORIGINAL_TRUNCATED, "true"));
      int room = limit.room(key, encode(value), headers);
      if (room < wanted) {
        return null;
      }
      while (true) {
        String prefix = message.prefix(room, messageCap);
        boolean truncated = !message.isWhole(prefix);
        value.put("original_message", prefix).put(DeadLetter.MESSAGE_TRUNCATED, truncated);
        byte[] bytes = encode(value);
        int over = -limit.room(key, bytes, headers);
        if (over <= 0 || prefix == null || prefix.isEmpty()) {
          return new LetterRecord(key, bytes, headers, truncated || keyDropped || headersDropped || errorBounded);
        }
        room -= over;
      }
    }
  }
}
