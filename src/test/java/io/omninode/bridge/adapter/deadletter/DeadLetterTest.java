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
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class DeadLetterTest {

  private static final Instant FAILED_AT = Instant.parse("2026-11-24T10:00:00Z");
  private static final DeadLetter LETTER = new DeadLetter(ErrorType.VALIDATION_ERROR, "payload.x: is required",
      new JsonObject().put("field", "payload.x"), 2);

  private static ConsumerRecord<byte[], byte[]> record(byte[] value) {
    RecordHeaders headers = new RecordHeaders(List.of(new RecordHeader("trace", new byte[] {1, 2, 3})));
    return new ConsumerRecord<>("dev.step-completed.v1", 4, 1234L, 1_764_000_000_000L, TimestampType.CREATE_TIME,
        3, value == null ? -1 : value.length, "key-1".getBytes(StandardCharsets.UTF_8), value, headers,
        Optional.empty());
  }

  @Test
  @DisplayName("the value carries the original message, its coordinates and the error, as docs/operations.md lists them")
  void valueCarriesOriginalAndError() {
    JsonObject json = LETTER.toJson(record("{\"a\":1}".getBytes(StandardCharsets.UTF_8)), FAILED_AT);

    assertThat(json.getString("original_message")).isEqualTo("{\"a\":1}");
    assertThat(json.getString("original_message_encoding")).isEqualTo("utf-8");
    assertThat(json.getString("original_topic")).isEqualTo("dev.step-completed.v1");
    assertThat(json.getInteger("original_partition")).isEqualTo(4);
    assertThat(json.getLong("original_offset")).isEqualTo(1234L);
    assertThat(json.getString("original_timestamp")).isEqualTo("2025-11-24T16:00:00Z");
    assertThat(json.getString("error_type")).isEqualTo("VALIDATION_ERROR");
    assertThat(json.getString("error_message")).isEqualTo("payload.x: is required");
    assertThat(json.getJsonObject("error_context")).isEqualTo(new JsonObject().put("field", "payload.x"));
    assertThat(json.getString("failed_at")).isEqualTo("2026-11-24T10:00:00Z");
    assertThat(json.getInteger("retry_count")).isEqualTo(2);
  }

  @Test
  @DisplayName("bytes that are not UTF-8 are kept exactly, as base64")
  void nonUtf8IsKeptAsBase64() {
    byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0, 42};
    JsonObject json = LETTER.toJson(record(garbage), FAILED_AT);

    assertThat(json.getString("original_message_encoding")).isEqualTo("base64");
    assertThat(Base64.getDecoder().decode(json.getString("original_message"))).isEqualTo(garbage);
  }

  @Test
  @DisplayName("the original headers come first, unchanged, then the error and the coordinates")
  void headersKeepTheOriginalsAndAddTheError() {
    List<KafkaHeader> headers = LETTER.headers(record(new byte[] {1}));

    assertThat(headers.get(0).key()).isEqualTo("trace");
    assertThat(headers.get(0).value().getBytes()).isEqualTo(new byte[] {1, 2, 3});
    assertThat(headers).extracting(KafkaHeader::key).containsExactly("trace", DeadLetter.HEADER_ERROR_TYPE,
        DeadLetter.HEADER_ERROR_MESSAGE, DeadLetter.HEADER_ORIGINAL_TOPIC, DeadLetter.HEADER_ORIGINAL_PARTITION,
        DeadLetter.HEADER_ORIGINAL_OFFSET);
    assertThat(headers.get(1).value().toString()).isEqualTo("VALIDATION_ERROR");
    assertThat(headers.get(5).value().toString()).isEqualTo("1234");
  }
}
