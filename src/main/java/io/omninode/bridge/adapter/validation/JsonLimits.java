package io.omninode.bridge.adapter.validation;

import io.omninode.bridge.adapter.config.ValidationSettings;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * Depth and size limits of a JSON value bound for a JSONB column, measured in one walk without
 * encoding it: the size is that of its compact UTF-8 text, escapes aside.
 */
final class JsonLimits {

  private final String field;
  private final ValidationSettings limits;
  private long bytes;

  private JsonLimits(String field, ValidationSettings limits) {
    this.field = field;
    this.limits = limits;
  }

  /** Throws a {@link ValidationException} naming {@code field} and the rule when {@code value} is too deep or too big. */
  static void check(String field, JsonObject value, ValidationSettings limits) {
    new JsonLimits(field, limits).walk(value, 1);
  }

  private void walk(Object value, int depth) {
    if (value instanceof JsonObject object) {
      walk(object.getMap(), depth);
    } else if (value instanceof JsonArray array) {
      walk(array.getList(), depth);
    } else if (value instanceof Map<?, ?> map) {
      enter(depth);
      map.forEach((key, item) -> {
        add(utf8Length(String.valueOf(key)) + 4); // quotes, colon, comma
        walk(item, depth + 1);
      });
    } else if (value instanceof List<?> list) {
      enter(depth);
      list.forEach(item -> {
        add(1);
        walk(item, depth + 1);
      });
    } else if (value instanceof CharSequence text) {
      add(utf8Length(text) + 2);
    } else {
      add(String.valueOf(value).length());
    }
  }

  private void enter(int depth) {
    if (depth > limits.maxJsonDepth()) {
      throw new ValidationException(field, "max_json_depth", "is nested deeper than " + limits.maxJsonDepth() + " levels");
    }
    add(2);
  }

  private void add(long count) {
    bytes += count;
    if (bytes > limits.maxJsonBytes()) {
      throw new ValidationException(field, "max_json_bytes", "is larger than " + limits.maxJsonBytes() + " bytes");
    }
  }

  private static long utf8Length(CharSequence text) {
    long length = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < 0x80) {
        length += 1;
      } else if (c < 0x800) {
        length += 2;
      } else if (Character.isHighSurrogate(c)) {
        length += 4;
        i++;
      } else {
        length += 3;
      }
    }
    return length;
  }
}
