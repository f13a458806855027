package io.omninode.bridge.adapter.deadletter;

import io.omninode.bridge.adapter.contract.ErrorType;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.producer.KafkaHeader;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("A dead letter always fits the producer's limit")
class LetterRecordTest {

  private static final Instant FAILED_AT = Instant.parse("2026-11-24T10:00:00Z");
  /** The client's default max.request.size. */
  private static final RecordLimit ONE_MIB = RecordLimit.of(Map.of());
  private static final DeadLetter LETTER = new DeadLetter(ErrorType.VALIDATION_ERROR,
      "value: is 1200000 bytes, more than 1048576", new JsonObject().put("field", "value").put("rule", "max_message_bytes"), 0);
  private static final byte[] KEY = "key-1".getBytes(StandardCharsets.UTF_8);

  private static ConsumerRecord<byte[], byte[]> record(byte[] key, byte[] value, RecordHeaders headers) {
    return new ConsumerRecord<>("dev.step-completed.v1", 4, 1234L, 1_764_000_000_000L, TimestampType.CREATE_TIME,
        3, value == null ? -1 : value.length, key, value, headers, Optional.empty());
  }

  private static ConsumerRecord<byte[], byte[]> record(byte[] value) {
    return record(KEY, value, new RecordHeaders(List.of(new RecordHeader("trace", new byte[] {1, 2, 3}))));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private static JsonObject value(LetterRecord letter) {
    return new JsonObject(new String(letter.value(), StandardCharsets.UTF_8));
  }

  private static String header(LetterRecord letter, String key) {
    return letter.headers().stream().filter(header -> header.key().equals(key)).map(header -> header.value().toString())
        .findFirst().orElse(null);
  }

  private static String sha256(byte[] bytes) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
  }

  /** Fits as the producer counts it, safety margin included. */
  private static void assertFits(LetterRecord letter, RecordLimit limit) {
    assertThat(RecordLimit.sizeOf(letter.key(), letter.value(), letter.headers()) + RecordLimit.SAFETY_MARGIN_BYTES)
        .isLessThanOrEqualTo(limit.maxBytes());
  }

  /** A cut letter: marked in the value and a header, with the whole original's size and SHA-256. */
  private static void assertCutFrom(LetterRecord letter, byte[] original) throws Exception {
    JsonObject json = value(letter);
    assertThat(letter.cut()).isTrue();
    assertThat(DeadLetter.isCut(json)).isTrue();
    assertThat(header(letter, DeadLetter.HEADER_ORIGINAL_TRUNCATED)).isEqualTo("true");
    assertThat(json.getLong("original_size_bytes")).isEqualTo(original.length);
    assertThat(json.getString("original_sha256")).isEqualTo(sha256(original));
    assertThat(json.getString("error_type")).isEqualTo("VALIDATION_ERROR");
    assertThat(json.getString("original_topic")).isEqualTo("dev.step-completed.v1");
    assertThat(json.getLong("original_offset")).isEqualTo(1234L);
  }

  @Test
  @DisplayName("a letter that fits is byte for byte the letter as before: no new field, no new header")
  void letterThatFitsIsUnchanged() {
    ConsumerRecord<byte[], byte[]> original = record(utf8("{\"a\":\"x\"}"));
    LetterRecord letter = LetterRecord.of(LETTER, original, FAILED_AT, ONE_MIB);

    assertThat(letter.cut()).isFalse();
    assertThat(letter.key()).isEqualTo(KEY);
    assertThat(new String(letter.value(), StandardCharsets.UTF_8)).isEqualTo("""
        {"original_message":"{\\"a\\":\\"x\\"}","original_message_encoding":"utf-8",\
        "original_topic":"dev.step-completed.v1","original_partition":4,"original_offset":1234,\
        "original_timestamp":"2025-11-24T16:00:00Z","error_type":"VALIDATION_ERROR",\
        "error_message":"value: is 1200000 bytes, more than 1048576",\
        "error_context":{"field":"value","rule":"max_message_bytes"},"failed_at":"2026-11-24T10:00:00Z",\
        "retry_count":0}""");
    assertThat(letter.headers()).extracting(KafkaHeader::key).containsExactly("trace", DeadLetter.HEADER_ERROR_TYPE,
        DeadLetter.HEADER_ERROR_MESSAGE, DeadLetter.HEADER_ORIGINAL_TOPIC, DeadLetter.HEADER_ORIGINAL_PARTITION,
        DeadLetter.HEADER_ORIGINAL_OFFSET);
  }

  @Test
  @DisplayName("a letter exactly at the limit goes whole; one byte less and it is cut")
  void theLimitIsExact() {
    ConsumerRecord<byte[], byte[]> original = record(utf8("x".repeat(5_000)));
    LetterRecord whole = LetterRecord.of(LETTER, original, FAILED_AT, ONE_MIB);
    int exact = RecordLimit.sizeOf(whole.key(), whole.value(), whole.headers()) + RecordLimit.SAFETY_MARGIN_BYTES;

    assertThat(LetterRecord.of(LETTER, original, FAILED_AT, new RecordLimit(exact)).cut()).isFalse();
    assertThat(LetterRecord.of(LETTER, original, FAILED_AT, new RecordLimit(exact - 1)).cut()).isTrue();
  }

  @Test
  @DisplayName("a 1.2 MB UTF-8 record: the letter keeps as much of it as fits, its key and headers, its size and SHA-256")
  void largeUtf8RecordIsCutToFit() throws Exception {
    String text = "{\"blob\":\"" + "z".repeat(1_200_000) + "\"}";
    ConsumerRecord<byte[], byte[]> original = record(utf8(text));
    LetterRecord letter = LetterRecord.of(LETTER, original, FAILED_AT, ONE_MIB);
    JsonObject json = value(letter);

    assertFits(letter, ONE_MIB);
    assertCutFrom(letter, original.value());
    assertThat(json.getBoolean("original_message_truncated")).isTrue();
    assertThat(json.getBoolean("original_key_dropped")).isFalse();
    assertThat(json.getBoolean("original_headers_dropped")).isFalse();
    assertThat(json.getString("original_message_encoding")).isEqualTo("utf-8");
    assertThat(text).startsWith(json.getString("original_message"));
    assertThat(json.getString("original_message").length()).isGreaterThan(1_040_000);
    assertThat(letter.key()).isEqualTo(KEY);
    assertThat(letter.headers().get(0).key()).isEqualTo("trace");
  }

  @Test
  @DisplayName("850 kB that are not UTF-8 (1.1 MB as base64): whole base64 quanta of the first bytes")
  void nonUtf8IsCutToWholeBase64Quanta() throws Exception {
    byte[] garbage = new byte[850_000];
    new Random(7).nextBytes(garbage);
    garbage[0] = (byte) 0xff;
    ConsumerRecord<byte[], byte[]> original = record(garbage);
    LetterRecord letter = LetterRecord.of(LETTER, original, FAILED_AT, ONE_MIB);
    JsonObject json = value(letter);
    String kept = json.getString("original_message");
    byte[] decoded = Base64.getDecoder().decode(kept);

    assertFits(letter, ONE_MIB);
    assertCutFrom(letter, garbage);
    assertThat(json.getString("original_message_encoding")).isEqualTo("base64");
    assertThat(kept.length() % 4).isZero();
    assertThat(kept).doesNotContain("=");
    assertThat(decoded).isEqualTo(Arrays.copyOf(garbage, decoded.length));
    assertThat(decoded.length).isGreaterThan(780_000);
  }

  @Test
  @DisplayName("200 kB of control characters, six bytes each in JSON: cut by their escaped size")
  void controlCharactersAreCountedEscaped() throws Exception {
    char[] controls = new char[200_000];
    for (int i = 0; i < controls.length; i++) {
      controls[i] = (char) (i % 0x20);
    }
    String text = new String(controls);
    ConsumerRecord<byte[], byte[]> original = record(utf8(text));
    LetterRecord letter = LetterRecord.of(LETTER, original, FAILED_AT, ONE_MIB);
    String kept = value(letter).getString("original_message");

    assertFits(letter, ONE_MIB);
    assertCutFrom(letter, original.value());
    assertThat(text).startsWith(kept);
    assertThat(kept.length()).isGreaterThan(150_000);
  }

  @Test
  @DisplayName("multi-byte characters at the cut: never half a character, whatever the limit")
  void cutNeverSplitsACharacter() throws Exception {
    String text = "a€😀é".repeat(5_000);
    byte[] bytes = utf8(text);
    ConsumerRecord<byte[], byte[]> original = record(bytes);
    int base = 12_000;
    for (int limitBytes = base; limitBytes < base + 12; limitBytes++) {
      RecordLimit limit = new RecordLimit(limitBytes);
      LetterRecord letter = LetterRecord.of(LETTER, original, FAILED_AT, limit);
      String kept = value(letter).getString("original_message");
      byte[] keptBytes = utf8(kept);

      assertFits(letter, limit);
      assertCutFrom(letter, bytes);
      assertThat(text).as("limit %d", limitBytes).startsWith(kept);
      assertThat(Character.isHighSurrogate(kept.charAt(kept.length() - 1))).isFalse();
      assertThat(keptBytes).isEqualTo(Arrays.copyOf(bytes, keptBytes.length));
    }
  }

  @Test
  @DisplayName("headers too large for the limit are dropped, and the value says so; the message is kept whole")
  void hugeHeadersAreDropped() throws Exception {
    RecordHeaders headers = new RecordHeaders(List.of(new RecordHeader("big-1", new byte[600_000]),
        new RecordHeader("big-2", new byte[600_000])));
    byte[] message = utf8("{\"a\":1}");
    LetterRecord letter = LetterRecord.of(LETTER, record(KEY, message, headers), FAILED_AT, ONE_MIB);
    JsonObject json = value(letter);

    assertFits(letter, ONE_MIB);
    assertCutFrom(letter, message);
    assertThat(json.getBoolean("original_headers_dropped")).isTrue();
    assertThat(json.getBoolean("original_key_dropped")).isFalse();
    assertThat(json.getBoolean("original_message_truncated")).isFalse();
    assertThat(json.getString("original_message")).isEqualTo("{\"a\":1}");
    assertThat(letter.key()).isEqualTo(KEY);
    assertThat(letter.headers()).extracting(KafkaHeader::key).containsExactly(DeadLetter.HEADER_ERROR_TYPE,
        DeadLetter.HEADER_ERROR_MESSAGE, DeadLetter.HEADER_ORIGINAL_TOPIC, DeadLetter.HEADER_ORIGINAL_PARTITION,
        DeadLetter.HEADER_ORIGINAL_OFFSET, DeadLetter.HEADER_ORIGINAL_TRUNCATED);
  }

  @Test
  @DisplayName("headers too large, bytes that are not UTF-8 beside them: the message stays whole, to its last byte")
  void hugeHeadersBesideNonUtf8() throws Exception {
    RecordHeaders headers = new RecordHeaders(List.of(new RecordHeader("big", new byte[1_100_000])));
    byte[] garbage = new byte[1_000];
    new Random(3).nextBytes(garbage);
    garbage[0] = (byte) 0xff;
    LetterRecord letter = LetterRecord.of(LETTER, record(KEY, garbage, headers), FAILED_AT, ONE_MIB);
    JsonObject json = value(letter);

    assertFits(letter, ONE_MIB);
    assertCutFrom(letter, garbage);
    assertThat(json.getBoolean("original_headers_dropped")).isTrue();
    assertThat(json.getBoolean("original_message_truncated")).isFalse();
    assertThat(Base64.getDecoder().decode(json.getString("original_message"))).isEqualTo(garbage);
  }

  @Test
  @DisplayName("a key too large for the limit is dropped too, after the headers")
  void hugeKeyIsDropped() throws Exception {
    byte[] message = utf8("x".repeat(2_000));
    LetterRecord letter = LetterRecord.of(LETTER, record(new byte[1_100_000], message, new RecordHeaders()), FAILED_AT,
        ONE_MIB);
    JsonObject json = value(letter);

    assertFits(letter, ONE_MIB);
    assertCutFrom(letter, message);
    assertThat(letter.key()).isNull();
    assertThat(json.getBoolean("original_key_dropped")).isTrue();
    assertThat(json.getBoolean("original_headers_dropped")).as("there were none").isFalse();
    assertThat(json.getString("original_message")).hasSize(2_000);
  }

  @Test
  @DisplayName("an error too large itself (a correlation id of a megabyte) is bounded and said to be")
  void hugeErrorIsBounded() throws Exception {
    DeadLetter letter = new DeadLetter(ErrorType.VALIDATION_ERROR, "event_id: is required",
        new JsonObject().put("field", "event_id").put("correlation_id", "c".repeat(1_100_000)), 0);
    byte[] message = utf8("{\"correlation_id\":\"" + "c".repeat(1_100_000) + "\"}");
    LetterRecord fitted = LetterRecord.of(letter, record(message), FAILED_AT, ONE_MIB);
    JsonObject json = value(fitted);

    assertFits(fitted, ONE_MIB);
    assertCutFrom(fitted, message);
    assertThat(json.getBoolean("error_truncated")).isTrue();
    assertThat(json.getJsonObject("error_context").getString("correlation_id")).hasSizeLessThan(1_100);
    assertThat(json.getString("error_message")).isEqualTo("event_id: is required");
  }

  @Test
  @DisplayName("the fallback letter: the first KiB of the original with its size and SHA-256, in a few KiB")
  void fallbackIsSmall() throws Exception {
    String text = "é".repeat(600_000);
    ConsumerRecord<byte[], byte[]> original = record(utf8(text));
    LetterRecord fallback = LetterRecord.fallback(LETTER, original, FAILED_AT, ONE_MIB);
    String kept = value(fallback).getString("original_message");

    assertFits(fallback, new RecordLimit(LetterRecord.FALLBACK_RECORD_BYTES));
    assertCutFrom(fallback, original.value());
    assertThat(utf8(kept)).hasSize(LetterRecord.FALLBACK_MESSAGE_BYTES);
    assertThat(text).startsWith(kept);
    assertThat(fallback.headers().get(0).key()).isEqualTo("trace");
  }

  @Test
  @DisplayName("the fallback of a letter that small already is the letter itself")
  void fallbackOfASmallLetterIsTheLetter() {
    ConsumerRecord<byte[], byte[]> original = record(utf8("{\"a\":1}"));
    LetterRecord fallback = LetterRecord.fallback(LETTER, original, FAILED_AT, ONE_MIB);

    assertThat(fallback.cut()).isFalse();
    assertThat(fallback.value()).isEqualTo(LetterRecord.of(LETTER, original, FAILED_AT, ONE_MIB).value());
  }

  @Test
  @DisplayName("a tombstone with headers too large: the headers go, the message stays null")
  void tombstoneWithHugeHeaders() {
    RecordHeaders headers = new RecordHeaders(List.of(new RecordHeader("big", new byte[1_100_000])));
    LetterRecord letter = LetterRecord.of(LETTER, record(KEY, null, headers), FAILED_AT, ONE_MIB);
    JsonObject json = value(letter);

    assertFits(letter, ONE_MIB);
    assertThat(json.getBoolean("original_headers_dropped")).isTrue();
    assertThat(json.getValue("original_message")).isNull();
    assertThat(json.getBoolean("original_message_truncated")).isFalse();
    assertThat(json.getValue("original_sha256")).isNull();
  }
}
