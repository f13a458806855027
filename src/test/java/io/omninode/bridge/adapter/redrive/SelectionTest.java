package io.omninode.bridge.adapter.redrive;

import io.omninode.bridge.adapter.contract.ErrorType;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("A selection takes the dead letters that meet every criterion given")
class SelectionTest {

  private static final String EVENT_ID = UUID.randomUUID().toString();
  private static final String OTHER_TOPIC = "dev.omninode-bridge.registry.node-heartbeat.v1";

  private static StoredLetter letter(String topic, ErrorType type, Instant failedAt) {
    return StoredLetter.parse(Letters.deadLetter(Letters.original(topic, 0, 3L, Letters.envelope(EVENT_ID),
        new RecordHeaders()), 5L, type, EVENT_ID, 0, failedAt));
  }

  private static StoredLetter letter() {
    return letter(Letters.TOPIC, ErrorType.VALIDATION_ERROR, Letters.FAILED_AT);
  }

  @Test
  @DisplayName("no criterion: every letter")
  void noCriterionTakesEverything() {
    assertThat(Selection.ALL.matches(letter())).isTrue();
  }

  @Test
  @DisplayName("by error type, original topic and event id (in any case)")
  void byTypeTopicAndEventId() {
    assertThat(new Selection(Set.of("VALIDATION_ERROR", "DATA_ERROR"), Set.of(), null, null, Set.of()).matches(letter()))
        .isTrue();
    assertThat(new Selection(Set.of("DATA_ERROR"), Set.of(), null, null, Set.of()).matches(letter())).isFalse();
    assertThat(new Selection(Set.of(), Set.of(Letters.TOPIC), null, null, Set.of()).matches(letter())).isTrue();
    assertThat(new Selection(Set.of(), Set.of(OTHER_TOPIC), null, null, Set.of()).matches(letter())).isFalse();
    StoredLetter shouting = StoredLetter.parse(Letters.deadLetter(Letters.original(Letters.TOPIC, 0, 3L,
        Letters.envelope(EVENT_ID), new RecordHeaders()), 5L, ErrorType.VALIDATION_ERROR, EVENT_ID.toUpperCase(), 0,
        Letters.FAILED_AT));
    assertThat(new Selection(Set.of(), Set.of(), null, null, Set.of(EVENT_ID)).matches(shouting)).isTrue();
    assertThat(new Selection(Set.of(), Set.of(), null, null, Set.of(UUID.randomUUID().toString())).matches(letter()))
        .isFalse();
  }

  @Test
  @DisplayName("failed_at from since, inclusive, to until, exclusive")
  void timeRangeIsHalfOpen() {
    Instant at = Letters.FAILED_AT;

    assertThat(new Selection(Set.of(), Set.of(), at, null, Set.of()).matches(letter())).isTrue();
    assertThat(new Selection(Set.of(), Set.of(), at.plusMillis(1), null, Set.of()).matches(letter())).isFalse();
    assertThat(new Selection(Set.of(), Set.of(), null, at, Set.of()).matches(letter())).isFalse();
    assertThat(new Selection(Set.of(), Set.of(), null, at.plusMillis(1), Set.of()).matches(letter())).isTrue();
  }

  @Test
  @DisplayName("a letter whose failed_at cannot be read is outside any time range, and inside no range at all")
  void unreadableFailedAtIsOutsideAnyRange() {
    ConsumerRecord<byte[], byte[]> record = letter().record();
    JsonObject value = new JsonObject(Buffer.buffer(record.value())).put("failed_at", "yesterday");
    StoredLetter undated = StoredLetter.parse(new ConsumerRecord<>(record.topic(), 0, 5L, record.key(),
        value.encode().getBytes(StandardCharsets.UTF_8)));

    assertThat(new Selection(Set.of(), Set.of(), Instant.EPOCH, null, Set.of()).matches(undated)).isFalse();
    assertThat(Selection.ALL.matches(undated)).isTrue();
  }

  @Test
  @DisplayName("every criterion must hold")
  void criteriaCombine() {
    Selection dataErrorsOfHeartbeats = new Selection(Set.of("DATA_ERROR"), Set.of(OTHER_TOPIC), null, null, Set.of());

    assertThat(dataErrorsOfHeartbeats.matches(letter(OTHER_TOPIC, ErrorType.DATA_ERROR, Letters.FAILED_AT))).isTrue();
    assertThat(dataErrorsOfHeartbeats.matches(letter(OTHER_TOPIC, ErrorType.VALIDATION_ERROR, Letters.FAILED_AT)))
        .isFalse();
    assertThat(dataErrorsOfHeartbeats.matches(letter(Letters.TOPIC, ErrorType.DATA_ERROR, Letters.FAILED_AT))).isFalse();
  }
}
