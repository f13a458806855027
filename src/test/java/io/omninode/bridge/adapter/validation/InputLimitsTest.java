package io.omninode.bridge.adapter.validation;

import io.omninode.bridge.adapter.config.ValidationSettings;
import io.omninode.bridge.adapter.testsupport.TestFields;
import io.omninode.bridge.adapter.ingest.Decoded;
import io.omninode.bridge.adapter.ingest.EnvelopeDecoder;
import io.omninode.bridge.adapter.testsupport.JsonShapes;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("Input limits on size, depth and identifiers, all from the config")
class InputLimitsTest {

  private static final ValidationSettings LIMITS =
      new ValidationSettings(2_048, 3, 200, ValidationSettings.DEFAULTS.identifierPattern(),
          ValidationSettings.DEFAULTS.maxTimestampPastMs(), ValidationSettings.DEFAULTS.maxTimestampFutureMs(), false);

  private static Fields fields(JsonObject data) {
    return TestFields.of(data, "data", LIMITS);
  }

  @Test
  @DisplayName("a message larger than max_message_bytes is rejected before it is parsed")
  void oversizedMessageIsRejected() {
    byte[] big = ("{\"padding\":\"" + "x".repeat(3_000) + "\"}").getBytes();

    Decoded decoded = new EnvelopeDecoder(LIMITS).decode("t.step-completed.v1", big, 0);

    assertThat(decoded).isInstanceOfSatisfying(Decoded.Rejected.class, rejected -> {
      assertThat(rejected.field()).isEqualTo("value");
      assertThat(rejected.rule()).isEqualTo("max_message_bytes");
      assertThat(rejected.message()).contains("3014 bytes");
    });
  }

  @Test
  @DisplayName("a JSONB object nested deeper than max_json_depth is rejected, naming the field")
  void tooDeepJsonIsRejected() {
    assertThatCode(() -> fields(new JsonObject().put("metadata", JsonShapes.nested(3))).optionalObject("metadata"))
        .doesNotThrowAnyException();
    assertThatThrownBy(() -> fields(new JsonObject().put("metadata", JsonShapes.nested(4))).optionalObject("metadata"))
        .isInstanceOfSatisfying(ValidationException.class, invalid -> {
          assertThat(invalid.field()).isEqualTo("data.metadata");
          assertThat(invalid.rule()).isEqualTo("max_json_depth");
        });
  }

  @Test
  @DisplayName("arrays count as nesting levels too")
  void arraysCountAsLevels() {
    JsonObject deepArrays = new JsonObject().put("a", new JsonArray().add(new JsonArray().add(new JsonArray())));

    assertThatThrownBy(() -> fields(new JsonObject().put("metadata", deepArrays)).optionalObject("metadata"))
        .isInstanceOfSatisfying(ValidationException.class, invalid -> assertThat(invalid.rule()).isEqualTo("max_json_depth"));
  }

  @Test
  @DisplayName("a JSONB object larger than max_json_bytes is rejected, multi-byte characters counted as bytes")
  void tooBigJsonIsRejected() {
    assertThatCode(() -> fields(new JsonObject().put("metadata", new JsonObject().put("k", "x".repeat(150))))
        .optionalObject("metadata")).doesNotThrowAnyException();
    assertThatThrownBy(() -> fields(new JsonObject().put("metadata", new JsonObject().put("k", "é".repeat(100))))
        .optionalObject("metadata"))
        .isInstanceOfSatisfying(ValidationException.class, invalid -> assertThat(invalid.rule()).isEqualTo("max_json_bytes"));
  }

  @Test
  @DisplayName("fields kept in the JSONB column because they have no column count towards its size")
  void unmappedFieldsCountTowardsTheLimit() {
    Fields data = fields(new JsonObject().put("metadata", new JsonObject()).put("extra", "y".repeat(250)));

    JsonText metadata = data.optionalObject("metadata");

    assertThatThrownBy(() -> data.unmapped(metadata))
        .isInstanceOfSatisfying(ValidationException.class, invalid -> {
          assertThat(invalid.field()).isEqualTo("data");
          assertThat(invalid.rule()).isEqualTo("max_json_bytes");
        });
  }

  @Test
  @DisplayName("identifiers accept dotted names and refuse spaces, quotes and control characters")
  void identifiersFollowThePattern() {
    Fields data = fields(new JsonObject().put("good", "omninode.prod-eu/tenant_1:a@b").put("space", "two words")
        .put("quote", "x'; DROP TABLE t; --").put("newline", "a\nb"));

    assertThat(data.requiredIdentifier("good", 255)).isEqualTo("omninode.prod-eu/tenant_1:a@b");
    for (String name : new String[] {"space", "quote", "newline"}) {
      assertThatThrownBy(() -> data.requiredIdentifier(name, 255))
          .isInstanceOfSatisfying(ValidationException.class, invalid -> {
            assertThat(invalid.field()).isEqualTo("data." + name);
            assertThat(invalid.rule()).isEqualTo("identifier");
          });
    }
  }
}
