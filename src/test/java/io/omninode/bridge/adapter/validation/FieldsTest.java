package io.omninode.bridge.adapter.validation;

import io.omninode.bridge.adapter.config.ValidationSettings;
import io.omninode.bridge.adapter.testsupport.TestFields;
import io.vertx.core.json.JsonObject;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FieldsTest {

  @Test
  @DisplayName("fields are checked against their columns: type, length, UUID and timestamp form")
  void fieldsAreValidatedAgainstTheirColumns() {
    Fields fields = TestFields.of(new JsonObject()
        .put("name", "x".repeat(101))
        .put("order", "three")
        .put("id", "nope")
        .put("at", "soon")
        .put("nul", "a\u0000b"), "data", ValidationSettings.DEFAULTS);

    assertThatThrownBy(() -> fields.requiredString("name", 100)).hasMessage("data.name: is longer than 100 characters");
    assertThatThrownBy(() -> fields.optionalInt("order")).hasMessage("data.order: must be a number");
    assertThatThrownBy(() -> fields.requiredUuid("id")).hasMessageContaining("data.id: must be a UUID");
    assertThatThrownBy(() -> fields.optionalTimestamp("at")).hasMessageContaining("data.at: must be an ISO-8601");
    assertThatThrownBy(() -> fields.optionalString("nul", 10)).hasMessageContaining("NUL");
    assertThatThrownBy(() -> fields.requiredString("absent", 10)).hasMessage("data.absent: is required");
  }

  @Test
  @DisplayName("a payload time outside the window is refused naming the field: a heartbeat from 9999 never wins for ever")
  void payloadTimeOutsideTheWindowIsRefused() {
    Fields fields = TestFields.of(new JsonObject().put("last_heartbeat", "9999-01-01T00:00:00Z")
        .put("started_at", "0001-01-01T00:00:00+18:00"), "data", ValidationSettings.DEFAULTS);

    assertThatThrownBy(() -> fields.optionalTimestamp("last_heartbeat"))
        .hasMessageStartingWith("data.last_heartbeat: is 9999-01-01T00:00Z, more than 1 hours in the future");
    assertThatThrownBy(() -> fields.optionalTimestamp("started_at"))
        .hasMessageContaining("more than 3650 days in the past");
  }

  @Test
  @DisplayName("a timestamp without offset (Python's utcnow().isoformat()) is read as UTC")
  void timestampWithoutOffsetIsUtc() {
    assertThat(TestFields.of(new JsonObject().put("t", "2026-11-24T10:15:30.123456"), "data", ValidationSettings.DEFAULTS)
        .optionalTimestamp("t"))
        .isEqualTo(OffsetDateTime.of(2026, 11, 24, 10, 15, 30, 123_456_000, ZoneOffset.UTC));
  }

  @Test
  @DisplayName("what PostgreSQL would refuse or change is refused naming the field: NUL, a lone surrogate, a number beyond numeric, a fraction for an integer")
  void valuesStoredExactlyOrRefused() {
    Fields fields = TestFields.of("{\"data\":{\"name\":\"a\\ud800\",\"nested\":{\"list\":[1,\"\\u0000\"]},"
        + "\"pair\":{\"k\":\"\\udc00\\ud800\"},\"huge\":{\"n\":1e131072},\"tiny\":{\"n\":1e-16384},"
        + "\"fine\":{\"n\":1e131071,\"m\":-0,\"s\":\"\\ud83d\\ude00\\uffff\\u2028\"},\"half\":2.5,\"whole\":3.0,"
        + "\"wide\":1e10,\"extra\":\"\\ud800x\"}}", "data", ValidationSettings.DEFAULTS);

    assertThatThrownBy(() -> fields.optionalString("name", 10)).isInstanceOfSatisfying(ValidationException.class,
        invalid -> assertThat(invalid.rule()).isEqualTo("characters"))
        .hasMessageContaining("data.name: must be valid Unicode");
    assertThatThrownBy(() -> fields.optionalObject("nested")).isInstanceOfSatisfying(ValidationException.class,
        invalid -> assertThat(invalid.field()).isEqualTo("data.nested.list[1]")).hasMessageContaining("NUL");
    assertThatThrownBy(() -> fields.optionalObject("pair")).hasMessageStartingWith("data.pair.k: must be valid Unicode");
    assertThatThrownBy(() -> fields.optionalObject("huge")).isInstanceOfSatisfying(ValidationException.class,
        invalid -> assertThat(invalid.rule()).isEqualTo("number"));
    assertThatThrownBy(() -> fields.optionalObject("tiny")).hasMessageContaining("digits after the decimal point");
    assertThat(fields.optionalObject("fine").text())
        .isEqualTo("{\"n\":1e131071,\"m\":-0,\"s\":\"\\ud83d\\ude00\\uffff\\u2028\"}");
    assertThatThrownBy(() -> fields.optionalInt("half")).hasMessage("data.half: must be a whole number, is 2.5");
    assertThat(fields.optionalInt("whole")).isEqualTo(3);
    assertThatThrownBy(() -> fields.optionalInt("wide")).hasMessage("data.wide: must fit a 32-bit integer");
    assertThatThrownBy(() -> fields.unmapped(null)).hasMessageStartingWith("data.extra: must be valid Unicode");
  }

  @Test
  @DisplayName("payload fields without a column of their own are kept in the JSONB column")
  void unmappedFieldsAreKept() {
    Fields fields = TestFields.of(new JsonObject()
        .put("step_name", "hash")
        .put("retries", 2)
        .put("step_data", new JsonObject().put("size", 10)), "workflow_step_data", ValidationSettings.DEFAULTS);

    fields.requiredString("step_name", 100);
    JsonText stepData = fields.unmapped(fields.optionalObject("step_data"));

    assertThat(new JsonObject(stepData.text())).isEqualTo(new JsonObject().put("size", 10).put("retries", 2));
  }
}
