package io.omninode.bridge.adapter.redrive;

import io.omninode.bridge.adapter.contract.ErrorType;
import io.omninode.bridge.adapter.deadletter.DeadLetter;
import io.omninode.bridge.adapter.deadletter.LetterRecord;
import io.omninode.bridge.adapter.deadletter.RecordLimit;
import io.omninode.bridge.adapter.deadletter.RedriveHeaders;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import static io.omninode.bridge.adapter.redrive.Letters.utf8;
import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("A dead letter is put back exactly as the original record was")
class StoredLetterTest {

  private static final Instant AT = Instant.parse("2026-11-25T08:00:00Z");
  private static final String EVENT_ID = UUID.randomUUID().toString();

  private static ConsumerRecord<byte[], byte[]> original(byte[] value) {
    RecordHeaders headers = new RecordHeaders(List.of(new RecordHeader("trace", new byte[] {1, 2, 3})));
    return Letters.original(Letters.TOPIC, 2, 41L, value, headers);
  }

  private static StoredLetter stored(ConsumerRecord<byte[], byte[]> original, int retryCount) {
    return StoredLetter.parse(Letters.deadLetter(original, 7L, ErrorType.VALIDATION_ERROR, EVENT_ID, retryCount,
        Letters.FAILED_AT));
  }

  private static String header(ProducerRecord<byte[], byte[]> record, String key) {
    return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
  }

  @Test
  @DisplayName("topic, partition, key, value and timestamp of the original; its headers without the dlq.* ones")
  void republishedIsTheOriginal() {
    ConsumerRecord<byte[], byte[]> original = original(Letters.envelope(EVENT_ID));
    ProducerRecord<byte[], byte[]> again = stored(original, 0).republished(Letters.TOPIC, AT);

    assertThat(again.topic()).isEqualTo(Letters.TOPIC);
    assertThat(again.partition()).isEqualTo(2);
    assertThat(again.key()).isEqualTo(original.key());
    assertThat(again.value()).isEqualTo(original.value());
    assertThat(again.timestamp()).isEqualTo(original.timestamp());
    assertThat(again.headers().toArray()).extracting(Header::key).containsExactly("trace", RedriveHeaders.DLQ_TOPIC,
        RedriveHeaders.DLQ_PARTITION, RedriveHeaders.DLQ_OFFSET, RedriveHeaders.AT, RedriveHeaders.RETRY_COUNT);
    assertThat(again.headers().lastHeader("trace").value()).isEqualTo(new byte[] {1, 2, 3});
  }

  @Test
  @DisplayName("the redrive headers say which dead letter, when, and one more try than the letter's retry_count")
  void redriveHeadersSayWhereFromAndWhen() {
    ProducerRecord<byte[], byte[]> again = stored(original(Letters.envelope(EVENT_ID)), 2).republished(Letters.TOPIC, AT);

    assertThat(header(again, RedriveHeaders.DLQ_TOPIC)).isEqualTo(Letters.DLQ);
    assertThat(header(again, RedriveHeaders.DLQ_PARTITION)).isEqualTo("0");
    assertThat(header(again, RedriveHeaders.DLQ_OFFSET)).isEqualTo("7");
    assertThat(header(again, RedriveHeaders.AT)).isEqualTo("2026-11-25T08:00:00Z");
    assertThat(header(again, RedriveHeaders.RETRY_COUNT)).isEqualTo("3");
  }

  @Test
  @DisplayName("a letter of an event redriven before: its earlier redrive headers are replaced, not repeated")
  void earlierRedriveHeadersAreReplaced() {
    ConsumerRecord<byte[], byte[]> first = stored(original(Letters.envelope(EVENT_ID)), 0).record();
    ProducerRecord<byte[], byte[]> redriven = StoredLetter.parse(first).republished(Letters.TOPIC, AT);
    ConsumerRecord<byte[], byte[]> consumedAgain = new ConsumerRecord<>(redriven.topic(), 2, 90L, redriven.timestamp(),
        TimestampType.CREATE_TIME, 0, redriven.value().length, redriven.key(), redriven.value(), redriven.headers(),
        Optional.empty());
    StoredLetter failedAgain = StoredLetter.parse(Letters.deadLetter(consumedAgain, 12L, ErrorType.VALIDATION_ERROR,
        EVENT_ID, 1, Letters.FAILED_AT));

    ProducerRecord<byte[], byte[]> again = failedAgain.republished(Letters.TOPIC, AT);

    assertThat(failedAgain.failedAgain()).isTrue();
    assertThat(again.headers().toArray()).extracting(Header::key).containsOnlyOnce(RedriveHeaders.RETRY_COUNT)
        .noneMatch(key -> DeadLetter.ADDED_HEADERS.contains(key));
    assertThat(header(again, RedriveHeaders.DLQ_OFFSET)).isEqualTo("12");
    assertThat(header(again, RedriveHeaders.RETRY_COUNT)).isEqualTo("2");
  }

  @Test
  @DisplayName("an original that was not UTF-8 comes back byte for byte")
  void base64OriginalComesBackExactly() {
    byte[] garbage = {(byte) 0xff, (byte) 0xfe, 0, 42};

    assertThat(stored(original(garbage), 0).republished(Letters.TOPIC, AT).value()).isEqualTo(garbage);
  }

  @Test
  @DisplayName("the event id from the error context, else from the original envelope")
  void eventIdFromContextElseFromEnvelope() {
    String inEnvelope = UUID.randomUUID().toString();
    StoredLetter withoutContextId = StoredLetter.parse(Letters.deadLetter(original(Letters.envelope(inEnvelope)), 3L,
        ErrorType.INVALID_JSON, null, 0, Letters.FAILED_AT));

    assertThat(stored(original(Letters.envelope(inEnvelope)), 0).eventId()).isEqualTo(EVENT_ID);
    assertThat(withoutContextId.eventId()).isEqualTo(inEnvelope);
    assertThat(stored(original(utf8("{not json")), 0).eventId()).isEqualTo(EVENT_ID);
  }

  @Test
  @DisplayName("the record goes to the topic it is given, whatever the letter claims")
  void republishedToTheGivenTopic() {
    ConsumerRecord<byte[], byte[]> claimsAnother = Letters.rewritten(stored(original(Letters.envelope(EVENT_ID)), 0)
        .record(), value -> value.put("original_topic", "elsewhere"));

    assertThat(StoredLetter.parse(claimsAnother).republished(Letters.TOPIC, AT).topic()).isEqualTo(Letters.TOPIC);
  }

  @Test
  @DisplayName("original_partition is a partition only as an integer from 0 to 2^31 - 1")
  void originalPartitionIsANonNegativeInt() {
    ConsumerRecord<byte[], byte[]> letter = stored(original(Letters.envelope(EVENT_ID)), 0).record();
    Map<Object, Integer> expected = new LinkedHashMap<>();
    expected.put(2, 2);
    expected.put(0, 0);
    expected.put((long) Integer.MAX_VALUE, Integer.MAX_VALUE);
    expected.put(-1, null);
    expected.put(1.5, null);
    expected.put(2.0, null);
    expected.put((long) Integer.MAX_VALUE + 1, null);
    expected.put(new BigInteger("100000000000000000000"), null);
    expected.forEach((claim, partition) -> assertThat(StoredLetter.parse(Letters.rewritten(letter,
        value -> value.put("original_partition", claim))).originalPartition()).as(String.valueOf(claim))
        .isEqualTo(partition));
  }

  @Test
  @DisplayName("a record the adapter did not write is no dead letter")
  void foreignRecordsAreNotLetters() {
    ConsumerRecord<byte[], byte[]> letter = stored(original(Letters.envelope(EVENT_ID)), 0).record();
    for (String value : Arrays.asList("not json", "{\"original_topic\": \"t\"}", "[1]", null,
        "{\"original_topic\": \"t\", \"original_partition\": 0, \"original_message\": \"%%\", "
            + "\"original_message_encoding\": \"base64\"}")) {
      ConsumerRecord<byte[], byte[]> foreign = new ConsumerRecord<>(letter.topic(), 0, 1L, letter.key(),
          value == null ? null : utf8(value));
      assertThat(StoredLetter.parse(foreign)).as(String.valueOf(value)).isNull();
    }
  }

  @Test
  @DisplayName("a letter cut to fit the producer's limit is not redriven: it does not hold the whole original")
  void cutLetterIsNotRedriven() {
    ConsumerRecord<byte[], byte[]> original = original(utf8("{\"blob\": \"" + "z".repeat(50_000) + "\"}"));
    DeadLetter letter = new DeadLetter(ErrorType.VALIDATION_ERROR, "value: is too large", new JsonObject(), 0);
    LetterRecord cut = LetterRecord.of(letter, original, Letters.FAILED_AT, new RecordLimit(20_000));
    RecordHeaders headers = new RecordHeaders();
    cut.headers().forEach(header -> headers.add(header.key(), header.value().getBytes()));
    ConsumerRecord<byte[], byte[]> stored = new ConsumerRecord<>(Letters.DLQ, 0, 9L, Letters.FAILED_AT.toEpochMilli(),
        TimestampType.CREATE_TIME, 0, cut.value().length, cut.key(), cut.value(), headers, Optional.empty());

    assertThat(cut.cut()).isTrue();
    assertThat(StoredLetter.parse(stored)).isNull();
  }
}
