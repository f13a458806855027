package io.omninode.bridge.adapter.validation;

import io.omninode.bridge.adapter.config.ValidationSettings;
import io.vertx.core.json.JsonObject;

import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Typed, validated reads of one payload object. Remembers which fields it read, so that
 * {@link #unmapped()} can keep every other field in the row's JSONB column.
 */
public final class Fields {

  /** Limit for TEXT columns (error messages): large enough for a stack trace, not for abuse. */
  public static final int MAX_TEXT = 100_000;

  private final JsonObject json;
  private final String path;
  private final ValidationSettings limits;
  private final Set<String> read = new HashSet<>();

  public Fields(JsonObject json, String path, ValidationSettings limits) {
    this.json = json;
    this.path = path;
    this.limits = limits;
  }

  /** A required identifier (namespace, node_id...): the configured characters only. */
  public String requiredIdentifier(String name, int maxLength) {
    return identifier(name, requiredString(name, maxLength));
  }

  public String optionalIdentifier(String name, int maxLength) {
    return identifier(name, optionalString(name, maxLength));
  }

  private String identifier(String name, String value) {
    if (value != null && !limits.identifierPattern().matcher(value).matches()) {
      throw new ValidationException(field(name), "identifier",
          "must match " + limits.identifierPattern().pattern());
    }
    return value;
  }

  public String requiredString(String name, int maxLength) {
    String value = optionalString(name, maxLength);
    if (value == null || value.isBlank()) {
      throw new ValidationException(field(name), "required", "is required");
    }
    return value;
  }

  public String optionalString(String name, int maxLength) {
    Object value = take(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof String text)) {
      throw new ValidationException(field(name), "type", "must be a string");
    }
    if (text.codePointCount(0, text.length()) > maxLength) {
      throw new ValidationException(field(name), "max_length", "is longer than " + maxLength + " characters");
    }
    if (text.indexOf('\u0000') >= 0) {
      throw new ValidationException(field(name), "characters", "must not contain NUL characters");
    }
    return text;
  }

  /** The first present of several accepted names for one column (e.g. status / step_status). */
  public String optionalString(int maxLength, String... names) {
    String found = null;
    for (String name : names) {
      String value = optionalString(name, maxLength);
      found = found == null ? value : found;
    }
    return found;
  }

  public UUID optionalUuid(String... names) {
    UUID found = null;
    for (String name : names) {
      Object value = take(name);
      if (value != null && found == null) {
        found = parseUuid(field(name), value);
      }
    }
    return found;
  }

  public UUID requiredUuid(String name) {
    UUID value = optionalUuid(name);
    if (value == null) {
      throw new ValidationException(field(name), "required", "is required");
    }
    return value;
  }

  public Integer optionalInt(String name) {
    Object value = take(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof Number number)) {
      throw new ValidationException(field(name), "type", "must be a number");
    }
    double asDouble = number.doubleValue();
    if (Double.isNaN(asDouble) || asDouble < Integer.MIN_VALUE || asDouble > Integer.MAX_VALUE) {
      throw new ValidationException(field(name), "range", "must fit a 32-bit integer");
    }
    return (int) Math.round(asDouble);
  }

  public int requiredInt(String name) {
    Integer value = optionalInt(name);
    if (value == null) {
      throw new ValidationException(field(name), "required", "is required");
    }
    return value;
  }

  public OffsetDateTime optionalTimestamp(String name) {
    Object value = take(name);
    return value == null ? null : parseTimestamp(field(name), value, limits);
  }

  public JsonObject optionalObject(String name) {
    Object value = take(name);
    if (value == null) {
      return null;
    }
    JsonObject object;
    if (value instanceof JsonObject given) {
      object = given;
    } else if (value instanceof Map<?, ?> map) {
      object = new JsonObject(cast(map));
    } else {
      throw new ValidationException(field(name), "type", "must be a JSON object");
    }
    JsonLimits.check(field(name), object, limits);
    return object;
  }

  /** {@code base} plus every field of the payload that was not read into a column of its own. */
  public JsonObject unmapped(JsonObject base) {
    JsonObject merged = base == null ? new JsonObject() : base.copy();
    json.forEach(entry -> {
      if (!read.contains(entry.getKey()) && !merged.containsKey(entry.getKey())) {
        merged.put(entry.getKey(), entry.getValue());
      }
    });
    if (merged.size() > (base == null ? 0 : base.size())) {
      JsonLimits.check(path, merged, limits); // the base alone was checked when it was read
    }
    return merged;
  }

  public static UUID parseUuid(String field, Object value) {
    if (value instanceof String text && text.length() == 36) {
      try {
        return UUID.fromString(text);
      } catch (IllegalArgumentException ignored) {
        // reported below
      }
    }
    throw new ValidationException(field, "uuid", "must be a UUID in its 36-character text form");
  }

  /**
   * ISO-8601 (a timestamp without an offset, Python's utcnow().isoformat(), is taken as UTC), within
   * the configured window around now.
   */
  public static OffsetDateTime parseTimestamp(String field, Object value, ValidationSettings limits) {
    OffsetDateTime parsed = value instanceof String text ? Timestamps.parse(text) : null;
    if (parsed == null) {
      throw new ValidationException(field, "timestamp", "must be an ISO-8601 timestamp");
    }
    return Timestamps.requireWithin(field, parsed, limits, "is");
  }

  /** A time the event did not state itself (its Kafka record's), within the same window. */
  public static OffsetDateTime requireWithinWindow(String field, OffsetDateTime time, ValidationSettings limits,
      String what) {
    return Timestamps.requireWithin(field, time, limits, what);
  }

  private Object take(String name) {
    read.add(name);
    return json.getValue(name);
  }

  private String field(String name) {
    return path + "." + name;
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> cast(Map<?, ?> map) {
    return (Map<String, Object>) map;
  }
}
