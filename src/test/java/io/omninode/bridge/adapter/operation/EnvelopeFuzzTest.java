package io.omninode.bridge.adapter.operation;

import io.omninode.bridge.adapter.config.ValidationSettings;
import io.omninode.bridge.adapter.ingest.Decoded;
import io.omninode.bridge.adapter.ingest.EnvelopeDecoder;
import io.omninode.bridge.adapter.contract.EventType;
import io.omninode.bridge.adapter.contract.OperationType;
import io.omninode.bridge.adapter.validation.ValidationException;
import io.omninode.bridge.adapter.testsupport.JsonShapes;
import io.omninode.bridge.adapter.testsupport.TestEvents;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Label;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.nio.charset.StandardCharsets;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutated and random input through the decoder and every operation's validation: never an
 * uncaught exception, always either a valid row or a rejection that names the field and the rule.
 */
class EnvelopeFuzzTest {

  private static final String TOPIC = "dev.omninode-bridge.orchestrator.step-completed.v1";
  private static final EnvelopeDecoder DECODER = new EnvelopeDecoder(ValidationSettings.DEFAULTS);
  private static final List<String> KEYS = List.of("event_id", "event_type", "timestamp", "correlation_id", "payload",
      "workflow_type", "current_state", "namespace", "started_at", "completed_at", "execution_time_ms", "error_message",
      "metadata", "workflow_id", "workflow_correlation_id", "step_name", "step_order", "status", "step_status",
      "step_data", "file_hash", "stamp_data", "entity_id", "entity_type", "from_state", "to_state", "transition_event",
      "transition_data", "bridge_id", "total_workflows_processed", "total_items_aggregated", "aggregation_metadata",
      "current_fsm_state", "last_aggregation_timestamp", "node_id", "node_type", "node_version", "health_status",
      "last_heartbeat", "capabilities", "endpoints");

  private final Map<OperationType, Operation<?>> operations = operations();

  @Property(tries = 400)
  @Label("mutated envelopes of every type are accepted as rows or rejected by name")
  void mutatedEnvelopesAreRowsOrNamedRejections(@ForAll("mutatedEnvelopes") JsonObject envelope) {
    assertAcceptedOrNamed(topicOf(envelope), envelope.encode().getBytes(StandardCharsets.UTF_8));
  }

  /** The topic of the type the envelope declares, so that a mutation reaches the payload's rules. */
  private static String topicOf(JsonObject envelope) {
    return envelope.getValue("event_type") instanceof String declared
        ? EventType.parse(declared).map(type -> TestEvents.topic("dev.omninode-bridge", type)).orElse(TOPIC) : TOPIC;
  }

  @Property(tries = 300)
  @Label("truncated or garbled envelopes are rejected by name")
  void garbledBytesAreNamedRejections(@ForAll("garbled") byte[] value) {
    assertAcceptedOrNamed(TOPIC, value);
  }

  @Property(tries = 200)
  @Label("random bytes are rejected by name")
  void randomBytesAreNamedRejections(@ForAll byte[] value) {
    assertAcceptedOrNamed(TOPIC, value);
  }

  private void assertAcceptedOrNamed(String topic, byte[] value) {
    Decoded decoded = DECODER.decode(topic, value, 1_700_000_000_000L);
    if (decoded instanceof Decoded.Rejected rejected) {
      assertThat(rejected.errorType()).isNotNull();
      assertThat(rejected.field()).isNotBlank();
      assertThat(rejected.rule()).isNotBlank();
      return;
    }
    Decoded.Accepted accepted = (Decoded.Accepted) decoded;
    OperationType type = accepted.type().operation();
    try {
      Object row = operations.get(type).toRow(accepted.request());
      assertThat(row).isNotNull();
    } catch (ValidationException invalid) {
      assertThat(invalid.field()).isNotBlank();
      assertThat(invalid.rule()).isNotBlank();
    }
  }

  @Provide
  Arbitrary<JsonObject> mutatedEnvelopes() {
    return Combinators.combine(Arbitraries.of(EventType.values()), mutation().list().ofMinSize(1).ofMaxSize(4))
        .as((type, mutations) -> {
          JsonObject envelope = validEnvelope(type);
          mutations.forEach(mutation -> mutation.accept(envelope));
          return envelope;
        });
  }

  @Provide
  Arbitrary<byte[]> garbled() {
    return Combinators.combine(Arbitraries.of(EventType.values()), Arbitraries.integers().between(0, 2_000),
            Arbitraries.chars().ascii())
        .as((type, cut, junk) -> {
          String text = validEnvelope(type).encode();
          int at = Math.min(cut, text.length());
          return (text.substring(0, at) + junk + text.substring(Math.min(at + 1, text.length())))
              .getBytes(StandardCharsets.UTF_8);
        });
  }

  /** Replace, add or remove one field, of the envelope or of its data object. */
  private Arbitrary<Consumer<JsonObject>> mutation() {
    Arbitrary<String> key = Arbitraries.oneOf(Arbitraries.of(KEYS), Arbitraries.strings().ofMaxLength(20));
    return Combinators.combine(Arbitraries.of(true, false), key, hostileValue(), Arbitraries.of(true, false))
        .as((inData, name, value, remove) -> envelope -> {
          JsonObject target = inData ? dataOf(envelope) : envelope;
          if (target == null) {
            return;
          }
          if (remove) {
            target.remove(name);
          } else {
            target.put(name, value);
          }
        });
  }

  private Arbitrary<Object> hostileValue() {
    return Arbitraries.oneOf(
        Arbitraries.strings().ofMaxLength(300).map(Object.class::cast),
        Arbitraries.strings().withCharRange('a', 'z').ofMinLength(200).ofMaxLength(70_000).map(Object.class::cast),
        Arbitraries.integers().map(Object.class::cast),
        Arbitraries.longs().map(Object.class::cast),
        Arbitraries.doubles().map(Object.class::cast),
        Arbitraries.of(true, false).map(Object.class::cast),
        Arbitraries.just((Object) null),
        Arbitraries.of("not-a-uuid", "6f1c9a1e-8d3b-4b7e-9a51-2d1f0c3e4b5", "2026-13-45T99:00:00Z", "yesterday",
            "'); DROP TABLE workflow_steps; --", "", " ", "\u0000").map(Object.class::cast),
        Arbitraries.integers().between(1, 60).map(depth -> (Object) JsonShapes.nested(depth)),
        Arbitraries.integers().between(0, 5_000).map(n -> (Object) new JsonArray().add(n).add("x".repeat(n))));
  }

  private static JsonObject dataOf(JsonObject envelope) {
    if (envelope.getValue("payload") instanceof JsonObject payload) {
      return payload.stream().map(Map.Entry::getValue).filter(JsonObject.class::isInstance)
          .map(JsonObject.class::cast).findFirst().orElse(null);
    }
    return null;
  }

  private static JsonObject validEnvelope(EventType type) {
    String workflow = "0b7e5c2a-1d4f-4e8a-b6c3-9f2e1d0a7b6c";
    JsonObject data = switch (type) {
      case WORKFLOW_STARTED -> new JsonObject().put("workflow_type", "metadata_stamping")
          .put("current_state", "PROCESSING").put("namespace", "omninode.fuzz").put("metadata", new JsonObject());
      case WORKFLOW_COMPLETED, WORKFLOW_FAILED -> new JsonObject().put("current_state", "COMPLETED")
          .put("completed_at", "2026-11-24T10:00:05Z").put("execution_time_ms", 5);
      case STEP_COMPLETED -> new JsonObject().put("workflow_id", workflow).put("step_name", "hash")
          .put("step_order", 1).put("status", "COMPLETED").put("step_data", new JsonObject().put("a", 1));
      case STAMP_CREATED -> new JsonObject().put("file_hash", "ab".repeat(32)).put("namespace", "omninode.fuzz")
          .put("stamp_data", new JsonObject());
      case STATE_TRANSITION -> new JsonObject().put("entity_id", workflow).put("entity_type", "workflow")
          .put("from_state", "A").put("to_state", "B").put("transition_event", "go");
      case STATE_AGGREGATION_COMPLETED -> new JsonObject().put("bridge_id", workflow).put("namespace", "omninode.fuzz")
          .put("total_workflows_processed", 3).put("total_items_aggregated", 9).put("current_fsm_state", "ACTIVE");
      case NODE_HEARTBEAT -> new JsonObject().put("node_id", "node-1").put("health_status", "HEALTHY")
          .put("last_heartbeat", "2026-11-24T10:00:00Z");
    };
    return new JsonObject().put("event_id", "6f1c9a1e-8d3b-4b7e-9a51-2d1f0c3e4b5a").put("event_type", type.name())
        .put("timestamp", "2026-11-24T10:00:00Z").put("correlation_id", workflow)
        .put("payload", new JsonObject().put(type.operation().dataField(), data));
  }

  /** The operations, used only for their validation (no database is touched). */
  private static Map<OperationType, Operation<?>> operations() {
    Map<OperationType, Operation<?>> operations = new EnumMap<>(OperationType.class);
    Operation.all().forEach(operation -> operations.put(operation.type(), operation));
    return operations;
  }
}
