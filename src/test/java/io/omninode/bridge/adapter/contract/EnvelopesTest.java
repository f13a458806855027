package io.omninode.bridge.adapter.contract;

import io.omninode.bridge.adapter.config.ValidationSettings;
import io.omninode.bridge.adapter.validation.JsonTree;
import io.omninode.bridge.adapter.validation.ValidationException;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.OffsetDateTime;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Envelopes: a Kafka envelope and a direct request become the same request")
class EnvelopesTest {

  private static JsonObject stepRequest(JsonObject data) {
    return new JsonObject()
        .put("operation_type", "persist_workflow_step")
        .put("event_id", "6f1c9a1e-8d3b-4b7e-9a51-2d1f0c3e4b5a")
        .put("timestamp", "2026-11-24T10:15:30Z")
        .put("workflow_step_data", data);
  }

  @Test
  @DisplayName("a row id is derived from the event: the same event always gets the same id")
  void rowIdIsDeterministicPerEventAndTable() {
    OperationRequest first = Envelopes.fromRequest(OperationType.PERSIST_WORKFLOW_STEP, stepRequest(new JsonObject()), ValidationSettings.DEFAULTS);
    OperationRequest again = Envelopes.fromRequest(OperationType.PERSIST_WORKFLOW_STEP, stepRequest(new JsonObject()), ValidationSettings.DEFAULTS);

    assertThat(first.rowId("workflow_steps")).isEqualTo(again.rowId("workflow_steps"))
        .isNotEqualTo(first.rowId("fsm_transitions"));
  }

  @Test
  @DisplayName("a direct request without event id gets one from its content, so a resend is a no-op")
  void directRequestWithoutEventIdGetsContentDerivedId() {
    JsonObject body = stepRequest(new JsonObject().put("step_name", "a"));
    body.remove("event_id");

    UUID first = Envelopes.fromRequest(OperationType.PERSIST_WORKFLOW_STEP, body, ValidationSettings.DEFAULTS).eventId();
    UUID again = Envelopes.fromRequest(OperationType.PERSIST_WORKFLOW_STEP, body.copy(), ValidationSettings.DEFAULTS).eventId();

    assertThat(first).isEqualTo(again);
  }

  @Test
  void requestForAnotherOperationIsRejected() {
    JsonObject body = stepRequest(new JsonObject()).put("operation_type", "persist_bridge_state");

    assertThatThrownBy(() -> Envelopes.fromRequest(OperationType.PERSIST_WORKFLOW_STEP, body, ValidationSettings.DEFAULTS))
        .isInstanceOf(ValidationException.class).hasMessageContaining("operation_type");
  }

  @Test
  void missingDataObjectIsRejectedNamingIt() {
    JsonObject body = stepRequest(new JsonObject());
    body.remove("workflow_step_data");

    assertThatThrownBy(() -> Envelopes.fromRequest(OperationType.PERSIST_WORKFLOW_STEP, body, ValidationSettings.DEFAULTS))
        .isInstanceOf(ValidationException.class).hasMessageContaining("workflow_step_data");
  }

  @Test
  @DisplayName("a direct request may name its event type; one of another operation is refused by name")
  void directRequestEventTypeMustBelongToTheAddress() {
    OperationRequest named = Envelopes.fromRequest(OperationType.PERSIST_WORKFLOW_STEP,
        stepRequest(new JsonObject()).put("event_type", "step-completed"), ValidationSettings.DEFAULTS);
    assertThat(named.eventType()).isEqualTo(EventType.STEP_COMPLETED);

    assertThatThrownBy(() -> Envelopes.fromRequest(OperationType.PERSIST_WORKFLOW_STEP,
        stepRequest(new JsonObject()).put("event_type", "WORKFLOW_STARTED"), ValidationSettings.DEFAULTS))
        .isInstanceOfSatisfying(ValidationException.class, invalid -> {
          assertThat(invalid.field()).isEqualTo("event_type");
          assertThat(invalid.rule()).isEqualTo("mismatch");
        });
  }

  @Test
  @DisplayName("the two ways in agree: the same event as an envelope and as a direct request gives the same request")
  void envelopeAndDirectRequestAgree() {
    JsonObject data = new JsonObject().put("step_name", "hash").put("status", "COMPLETED");
    JsonObject envelope = new JsonObject().put("event_id", "6f1c9a1e-8d3b-4b7e-9a51-2d1f0c3e4b5a")
        .put("event_type", "STEP_COMPLETED").put("timestamp", "2026-11-24T10:15:30Z")
        .put("correlation_id", "0b7e5c2a-1d4f-4e8a-b6c3-9f2e1d0a7b6c")
        .put("payload", new JsonObject().put("workflow_step_data", data));
    JsonObject direct = stepRequest(data).put("event_type", "STEP_COMPLETED")
        .put("correlation_id", "0b7e5c2a-1d4f-4e8a-b6c3-9f2e1d0a7b6c");

    OperationRequest fromKafka = Envelopes.fromEnvelope("t.step-completed.v1",
        JsonTree.parseObject(envelope.toBuffer().getBytes(), Envelopes.ENVELOPE_OBJECTS), 0, ValidationSettings.DEFAULTS);
    OperationRequest fromBus = Envelopes.fromRequest(OperationType.PERSIST_WORKFLOW_STEP, direct, ValidationSettings.DEFAULTS);

    assertThat(fromBus).usingRecursiveComparison().ignoringFields("data").isEqualTo(fromKafka);
    assertThat(fromBus.data().requiredString("step_name", 100)).isEqualTo(fromKafka.data().requiredString("step_name", 100));
    assertThat(fromBus.data().unmapped(null)).isEqualTo(fromKafka.data().unmapped(null));
  }

  @Test
  @DisplayName("a direct request without timestamp is stamped now; an envelope without one takes the record's")
  void missingTimestampsFallBackPerEntryPoint() {
    JsonObject direct = stepRequest(new JsonObject());
    direct.remove("timestamp");
    OffsetDateTime before = OffsetDateTime.now();

    assertThat(Envelopes.fromRequest(OperationType.PERSIST_WORKFLOW_STEP, direct, ValidationSettings.DEFAULTS).eventTime())
        .isAfterOrEqualTo(before.minusSeconds(1)).isBeforeOrEqualTo(OffsetDateTime.now());
  }
}
