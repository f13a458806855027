package io.omninode.bridge.adapter.testsupport;

import io.omninode.bridge.adapter.config.ValidationSettings;
import io.omninode.bridge.adapter.validation.Fields;
import io.omninode.bridge.adapter.validation.JsonNode;
import io.omninode.bridge.adapter.validation.JsonTree;
import io.vertx.core.json.JsonObject;

/** A payload object as the decoder reads it from its JSON text, for tests of the field rules. */
public final class TestFields {

  private TestFields() {
  }

  public static Fields of(JsonObject data, String path, ValidationSettings limits) {
    return of(new JsonObject().put("data", data).encode(), path, limits);
  }

  /** From the text of an object whose member {@code data} is the payload object. */
  public static Fields of(String wrapped, String path, ValidationSettings limits) {
    JsonNode.Obj root = JsonTree.parseObject(wrapped.getBytes(java.nio.charset.StandardCharsets.UTF_8), 1);
    return new Fields((JsonNode.Obj) root.get("data"), path, limits);
  }
}
