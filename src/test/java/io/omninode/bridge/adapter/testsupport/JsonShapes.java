package io.omninode.bridge.adapter.testsupport;

import io.vertx.core.json.JsonObject;

/** JSON values of awkward shapes for validation tests. */
public final class JsonShapes {

  private JsonShapes() {
  }

  /** An object nested {@code depth} levels deep, counting itself: {@code {"child":{"child":{}}}} is 3. */
  public static JsonObject nested(int depth) {
    JsonObject root = new JsonObject();
    JsonObject current = root;
    for (int i = 1; i < depth; i++) {
      JsonObject next = new JsonObject();
      current.put("child", next);
      current = next;
    }
    return root;
  }
}
