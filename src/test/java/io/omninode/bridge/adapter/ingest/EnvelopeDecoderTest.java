package io.omninode.bridge.adapter.ingest;

import io.omninode.bridge.adapter.config.KafkaSettings;
import io.omninode.bridge.adapter.config.ValidationSettings;
import io.omninode.bridge.adapter.contract.ErrorType;
import io.omninode.bridge.adapter.contract.EventType;
import io.omninode.bridge.adapter.contract.OperationType;
import io.omninode.bridge.adapter.validation.Fields;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class EnvelopeDecoderTest {

  private static final EnvelopeDecoder DECODER = new EnvelopeDecoder(ValidationSettings.DEFAULTS);
  private static final String STEP_TOPIC = "dev.omninode-bridge.orchestrator.step-completed.v1";
  private static final String EVENT_ID = "6f1c9a1e-8d3b-4b7e-9a51-2d1f0c3e4b5a";
  private static final String CORRELATION_ID = "0b7e5c2a-1d4f-4e8a-b6c3-9f2e1d0a7b6c";

  private static JsonObject envelope() {
    return new JsonObject()
        .put("envelope_version", "1.0")
        .put("event_id", EVENT_ID)
        .put("event_type", "STEP_COMPLETED")
        .put("event_version", "1.0")
        .put("timestamp", "2026-11-24T10:15:30.123Z")
        .put("correlation_id", CORRELATION_ID)
        .put("unknown_field", "ignored")
        .put("payload", new JsonObject().put("workflow_step_data", new JsonObject().put("step_name", "hash")));
  }

  private static Decoded decode(JsonObject envelope) {
    return decode(envelope.encode());
  }

  private static Decoded decode(String value) {
    return DECODER.decode(STEP_TOPIC, value.getBytes(StandardCharsets.UTF_8), 1_700_000_000_000L);
  }

  private static Decoded.Rejected rejected(Decoded decoded) {
    assertThat(decoded).isInstanceOf(Decoded.Rejected.class);
    return (Decoded.Rejected) decoded;
  }

  @Test
  @DisplayName("a well-formed envelope becomes the request of its operation, with the event's identity and time")
  void wellFormedEnvelopeBecomesOperationRequest() {
    Decoded decoded = decode(envelope());

    assertThat(decoded).isInstanceOf(Decoded.Accepted.class);
    Decoded.Accepted accepted = (Decoded.Accepted) decoded;
    assertThat(accepted.type()).isEqualTo(EventType.STEP_COMPLETED);
    assertThat(accepted.request().type().wireName()).isEqualTo("persist_workflow_step");
    assertThat(accepted.eventId()).isEqualTo(EVENT_ID);
    assertThat(accepted.correlationId()).isEqualTo(CORRELATION_ID);
    assertThat(accepted.request().eventType()).isEqualTo(EventType.STEP_COMPLETED);
    assertThat(accepted.request().eventTime()).hasToString("2026-11-24T10:15:30.123Z");
    assertThat(accepted.eventTimeMs()).isEqualTo(java.time.Instant.parse("2026-11-24T10:15:30.123Z").toEpochMilli());
    assertThat(accepted.request().data().requiredString("step_name", 100)).isEqualTo("hash");
  }

  @Test
  void kebabCaseEventTypeIsAccepted() {
    Decoded decoded = decode(envelope().put("event_type", "step-completed"));

    assertThat(((Decoded.Accepted) decoded).type()).isEqualTo(EventType.STEP_COMPLETED);
  }

  @Test
  @DisplayName("without event_type, the event type comes from the topic's event-type segment")
  void missingEventTypeIsTakenFromTopic() {
    JsonObject envelope = envelope();
    envelope.remove("event_type");

    assertThat(((Decoded.Accepted) decode(envelope)).type()).isEqualTo(EventType.STEP_COMPLETED);
  }

  @Test
  @DisplayName("without timestamp, the Kafka record's timestamp is the event time")
  void missingTimestampFallsBackToRecordTimestamp() {
    JsonObject envelope = envelope();
    envelope.remove("timestamp");

    Decoded.Accepted accepted = (Decoded.Accepted) decode(envelope);
    assertThat(accepted.request().eventTime()).hasToString("2023-11-14T22:13:20Z");
  }

  @Test
  void invalidJsonIsRejectedAsInvalidJson() {
    Decoded.Rejected rejected = rejected(decode("{not json"));

    assertThat(rejected.errorType()).isEqualTo(ErrorType.INVALID_JSON);
    assertThat(rejected.field()).isEqualTo("value");
  }

  @Test
  void jsonThatIsNotAnObjectIsRejected() {
    assertThat(rejected(decode("[1,2]")).errorType()).isEqualTo(ErrorType.INVALID_JSON);
    assertThat(rejected(decode("null")).errorType()).isEqualTo(ErrorType.INVALID_JSON);
    assertThat(rejected(decode("42")).errorType()).isEqualTo(ErrorType.INVALID_JSON);
  }

  @Test
  @DisplayName("values are kept as sent: numbers as their decimal text, objects as their text; of duplicate names the last wins")
  void valuesAreKeptExactlyAsSent() {
    String value = envelope().put("payload", new JsonObject().put("workflow_step_data", new JsonObject()
            .put("step_name", "hash").put("step_order", 3).put("step_data", "OBJECT")))
        .encode().replace("\"step_name\":\"hash\"", "\"step_name\":\"first\",\"step_name\":\"hash\"")
        .replace("\"step_data\":\"OBJECT\"", "\"step_data\":{\"list\":[1,\"x\",null], \"exact\":0.30000000000000000001},"
            + "\"big\":1e400,\"ratio\":1.00,\"neg\":-0,\"text\":\"\\u00e9\\ud83d\\ude00\"");

    Fields decoded = ((Decoded.Accepted) decode(value)).request().data();
    assertThat(decoded.requiredString("step_name", 100)).isEqualTo("hash");
    assertThat(decoded.optionalInt("step_order")).isEqualTo(3);
    assertThat(decoded.optionalObject("step_data").text())
        .isEqualTo("{\"list\":[1,\"x\",null], \"exact\":0.30000000000000000001}");
    assertThat(decoded.unmapped(null).text())
        .isEqualTo("{\"big\":1e400,\"ratio\":1.00,\"neg\":-0,\"text\":\"\\u00e9\\ud83d\\ude00\"}");
  }

  @Test
  @DisplayName("bytes that are not UTF-8 (an overlong '/', C0 AF) in a string are refused naming the field; outside any object, the value is not JSON")
  void invalidUtf8IsRefusedNamingTheField() {
    byte[] overlong = envelope().encode().replace("\"hash\"", "\"a#b\"").getBytes(StandardCharsets.UTF_8);
    int at = new String(overlong, StandardCharsets.UTF_8).indexOf("a#b") + 1;
    byte[] withOverlong = new byte[overlong.length + 1];
    System.arraycopy(overlong, 0, withOverlong, 0, at);
    withOverlong[at] = (byte) 0xC0;
    withOverlong[at + 1] = (byte) 0xAF;
    System.arraycopy(overlong, at + 1, withOverlong, at + 2, overlong.length - at - 1);

    Decoded.Rejected rejected = rejected(DECODER.decode(STEP_TOPIC, withOverlong, 0));
    assertThat(rejected.errorType()).isEqualTo(ErrorType.VALIDATION_ERROR);
    assertThat(rejected.field()).isEqualTo("payload.workflow_step_data.step_name");
    assertThat(rejected.rule()).isEqualTo("unicode");

    Decoded.Rejected notJson = rejected(DECODER.decode(STEP_TOPIC, new byte[] {(byte) 0xFF, '{', '}'}, 0));
    assertThat(notJson.errorType()).isEqualTo(ErrorType.INVALID_JSON);
  }

  @Test
  @DisplayName("JSON nested beyond the parser's 1,000 levels is invalid JSON, without exhausting a 512 KB stack (the shipped -Xss)")
  void deeplyNestedJsonIsRejectedOnTheShippedStack() throws Exception {
    String deep = "{\"payload\":" + "[".repeat(5_000) + "]".repeat(5_000) + "}";
    Decoded[] decoded = new Decoded[1];
    Thread small = new Thread(null, () -> decoded[0] = decode(deep), "small-stack", 512 * 1024);
    small.start();
    small.join();

    assertThat(rejected(decoded[0]).errorType()).isEqualTo(ErrorType.INVALID_JSON);
  }

  @Test
  @DisplayName("an envelope may not name another event type than its topic's: per-topic ACLs hold")
  void declaredTypeMustMatchTheTopic() {
    Decoded.Rejected rejected = rejected(decode(envelope().put("event_type", "STATE_AGGREGATION_COMPLETED")));

    assertThat(rejected.errorType()).isEqualTo(ErrorType.VALIDATION_ERROR);
    assertThat(rejected.field()).isEqualTo("event_type");
    assertThat(rejected.rule()).isEqualTo("topic");
    assertThat(rejected.message()).contains("STATE_AGGREGATION_COMPLETED", STEP_TOPIC, "STEP_COMPLETED");
  }

  @Test
  @DisplayName("with validation.allow_event_type_override the declared type wins, as before")
  void overrideKeyLetsTheDeclaredTypeWin() {
    ValidationSettings lenient = new ValidationSettings(ValidationSettings.DEFAULTS.maxMessageBytes(),
        ValidationSettings.DEFAULTS.maxJsonDepth(), ValidationSettings.DEFAULTS.maxJsonBytes(),
        ValidationSettings.DEFAULTS.identifierPattern(), ValidationSettings.DEFAULTS.maxTimestampPastMs(),
        ValidationSettings.DEFAULTS.maxTimestampFutureMs(), true);
    JsonObject envelope = envelope().put("event_type", "STATE_AGGREGATION_COMPLETED")
        .put("payload", new JsonObject().put("bridge_state_data", new JsonObject()));

    Decoded decoded = new EnvelopeDecoder(lenient).decode(STEP_TOPIC, envelope.encode().getBytes(StandardCharsets.UTF_8), 0);

    assertThat(((Decoded.Accepted) decoded).type()).isEqualTo(EventType.STATE_AGGREGATION_COMPLETED);
  }

  @Test
  @DisplayName("an event time outside the window (Go's zero time, year 9999, a clock hours ahead) is refused by name")
  void eventTimeOutsideTheWindowIsRefused() {
    String soon = java.time.Instant.now().plusSeconds(600).toString();
    String hoursAhead = java.time.Instant.now().plusSeconds(3 * 3_600).toString();
    for (String time : new String[] {"0001-01-01T00:00:00Z", "9999-12-31T23:59:59Z", hoursAhead, "1970-01-01T00:00:00Z"}) {
      Decoded.Rejected rejected = rejected(decode(envelope().put("timestamp", time)));
      assertThat(rejected.errorType()).as(time).isEqualTo(ErrorType.VALIDATION_ERROR);
      assertThat(rejected.field()).isEqualTo("timestamp");
      assertThat(rejected.rule()).isEqualTo("time_window");
    }
    assertThat(decode(envelope().put("timestamp", soon))).as("ten minutes ahead: a clock's skew")
        .isInstanceOf(Decoded.Accepted.class);
    JsonObject withoutTime = envelope();
    withoutTime.remove("timestamp");
    Decoded.Rejected noTimeAnywhere = rejected(DECODER.decode(STEP_TOPIC, withoutTime.encode().getBytes(StandardCharsets.UTF_8), -1));
    assertThat(noTimeAnywhere.field()).isEqualTo("timestamp");
    assertThat(noTimeAnywhere.message()).contains("record's timestamp");
  }

  @Test
  void emptyValueIsRejected() {
    Decoded decoded = DECODER.decode(STEP_TOPIC, null, 0);

    assertThat(rejected(decoded).errorType()).isEqualTo(ErrorType.INVALID_JSON);
  }

  @Test
  void unknownEventTypeIsRejectedNamingTheType() {
    Decoded.Rejected rejected = rejected(decode(envelope().put("event_type", "WORKFLOW_EXPLODED")));

    assertThat(rejected.errorType()).isEqualTo(ErrorType.UNKNOWN_EVENT_TYPE);
    assertThat(rejected.message()).contains("WORKFLOW_EXPLODED");
  }

  @Test
  void missingEventIdIsRejectedNamingTheField() {
    JsonObject envelope = envelope();
    envelope.remove("event_id");

    Decoded.Rejected rejected = rejected(decode(envelope));
    assertThat(rejected.errorType()).isEqualTo(ErrorType.VALIDATION_ERROR);
    assertThat(rejected.field()).isEqualTo("event_id");
  }

  @Test
  void malformedUuidsAndTimestampsAreRejectedNamingTheField() {
    assertThat(rejected(decode(envelope().put("event_id", "not-a-uuid"))).field()).isEqualTo("event_id");
    assertThat(rejected(decode(envelope().put("correlation_id", 12))).field()).isEqualTo("correlation_id");
    assertThat(rejected(decode(envelope().put("timestamp", "yesterday"))).field()).isEqualTo("timestamp");
  }

  @Test
  void payloadWithoutTheOperationsDataObjectIsRejected() {
    Decoded.Rejected rejected = rejected(decode(envelope().put("payload",
        new JsonObject().put("workflow_execution_data", new JsonObject()))));

    assertThat(rejected.field()).isEqualTo("payload.workflow_step_data");
  }

  @ParameterizedTest
  @EnumSource(EventType.class)
  @DisplayName("every event type, named either way or only by its topic, becomes a request of its own operation")
  void everyEventTypeDecodesToItsOperation(EventType type) {
    String topic = KafkaSettings.defaultTopics("dev.omninode-bridge").stream()
        .filter(candidate -> candidate.contains("." + type.topicSegment() + ".")).findFirst().orElseThrow();
    JsonObject envelope = envelope().put("payload", new JsonObject().put(type.operation().dataField(), new JsonObject()));

    for (Object declared : new Object[] {type.name(), type.topicSegment(), null}) {
      JsonObject named = envelope.copy();
      if (declared == null) {
        named.remove("event_type");
      } else {
        named.put("event_type", declared);
      }
      Decoded decoded = DECODER.decode(topic, named.encode().getBytes(StandardCharsets.UTF_8), 0);

      assertThat(decoded).as("%s named %s", type, declared).isInstanceOfSatisfying(Decoded.Accepted.class, accepted -> {
        assertThat(accepted.type()).isEqualTo(type);
        assertThat(accepted.request().type()).isEqualTo(type.operation());
      });
    }
    assertThat(type.operation().address()).isEqualTo("bridge.db." + type.operation().wireName());
  }

  @Test
  @DisplayName("the eight event types cover the six operations")
  void eventTypesCoverTheSixOperations() {
    assertThat(java.util.Arrays.stream(EventType.values()).map(EventType::operation).distinct())
        .containsExactlyInAnyOrder(OperationType.values());
  }
}
