package io.omninode.bridge.adapter.validation;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * JSON that arrived already decoded (a request over the event bus): a number that is not finite was
 * beyond a double's range and would be encoded as the string "Infinity", and a string with an
 * unpaired surrogate cannot be written as UTF-8. Both are refused, naming the field.
 */
public final class DecodedValues {

  private DecodedValues() {
  }

  public static void check(JsonObject json) {
    check("", json.getMap());
  }

  private static void check(String path, Object value) {
    if (value instanceof JsonObject object) {
      check(path, object.getMap());
    } else if (value instanceof JsonArray array) {
      check(path, array.getList());
    } else if (value instanceof Map<?, ?> map) {
      map.forEach((key, item) -> {
        String name = (path.isEmpty() ? "" : path + ".") + key;
        String problem = JsonStrings.problem(String.valueOf(key));
        if (problem != null) {
          throw new ValidationException(name, "characters", "(its name) " + problem);
        }
        check(name, item);
      });
    } else if (value instanceof List<?> list) {
      for (int i = 0; i < list.size(); i++) {
        check(path + "[" + i + "]", list.get(i));
      }
    } else if (value instanceof CharSequence text) {
      String problem = JsonStrings.problem(text);
      if (problem != null) {
        throw new ValidationException(path, "characters", problem);
      }
    } else if (value instanceof Double number && !Double.isFinite(number)
        || value instanceof Float single && !Float.isFinite(single)) {
      throw new ValidationException(path, "number", "is " + value + ": a number beyond a double's range, as the "
          + "event bus decoded it; its exact text is lost");
    }
  }
}
