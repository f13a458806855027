package io.omninode.bridge.adapter.validation;

import io.omninode.bridge.adapter.config.ValidationSettings;

import java.time.OffsetDateTime;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;

/**
 * Typed, validated reads of one payload object, each value stored exactly as sent or refused naming
 * its field. Remembers which fields it read, so that {@link #unmapped} can keep every other field, as
 * sent, in the row's JSONB column.
 */
public final class Fields {

  /** Limit for TEXT columns (error messages): large enough for a stack trace, not for abuse. */
  public static final int MAX_TEXT = 100_000;

  private final JsonNode.Obj json;
  private final String path;
  private final ValidationSettings limits;
  private final JsonbValues jsonb;
  private final Set<String> read = new HashSet<>();

  public Fields(JsonNode.Obj json, String path, ValidationSettings limits) {
    this.json = json;
    this.path = path;
    this.limits = limits;
    this.jsonb = new JsonbValues(limits);
  }

  /** The length of the payload object's JSON text: what its row carries to PostgreSQL, give or take. */
  public int bytes() {
    return json.end() - json.start();
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
    JsonNode value = take(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonNode.Str string)) {
      throw new ValidationException(field(name), "type", "must be a string");
    }
    String text = string.value();
    if (text.codePointCount(0, text.length()) > maxLength) {
      throw new ValidationException(field(name), "max_length", "is longer than " + maxLength + " characters");
    }
    String problem = JsonStrings.problem(text);
    if (problem != null) {
      throw new ValidationException(field(name), "characters", problem);
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
      JsonNode value = take(name);
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

  /** A whole number in the 32-bit range, read exactly from its text ({@code 3}, {@code 3.0}, {@code 3e0}). */
  public Integer optionalInt(String name) {
    JsonNode value = take(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonNode.Num number)) {
      throw new ValidationException(field(name), "type", "must be a number");
    }
    String unreadable = JsonNumbers.numericProblem(number.source(), number.start(), number.end());
    if (unreadable != null) {
      throw new ValidationException(field(name), "number", unreadable);
    }
    Integer exact;
    try {
      exact = JsonNumbers.exactInt(number.text());
    } catch (ArithmeticException | NumberFormatException outOfRange) {
      throw new ValidationException(field(name), "range", "must fit a 32-bit integer");
    }
    if (exact == null) {
      throw new ValidationException(field(name), "integer", "must be a whole number, is " + abbreviate(number.text()));
    }
    return exact;
  }

  public int requiredInt(String name) {
    Integer value = optionalInt(name);
    if (value == null) {
      throw new ValidationException(field(name), "required", "is required");
    }
    return value;
  }

  public OffsetDateTime optionalTimestamp(String name) {
    JsonNode value = take(name);
    return value == null ? null : parseTimestamp(field(name), value, limits);
  }

  /** A JSON object for a JSONB column, as sent: within the depth and size limits, and stored unchanged. */
  public JsonText optionalObject(String name) {
    JsonNode value = take(name);
    if (value == null) {
      return null;
    }
    if (!(value instanceof JsonNode.Container object) || !object.object()) {
      throw new ValidationException(field(name), "type", "must be a JSON object");
    }
    return jsonb.object(field(name), object);
  }

  /**
   * {@code base} plus every field of the payload that was not read into a column of its own, each as
   * sent; a field of {@code base} wins over a payload field of the same name.
   */
  public JsonText unmapped(JsonText base) {
    return jsonb.merged(path, base, json.members(), read);
  }

  public static UUID parseUuid(String field, JsonNode value) {
    if (value instanceof JsonNode.Str text && text.value().length() == 36) {
      try {
        return UUID.fromString(text.value());
      } catch (IllegalArgumentException ignored) {
        // reported below
      }
    }
    throw new ValidationException(field, "uuid", "must be a UUID in its 36-character text form");
  }

  /**
   * ISO-8601 (a timestamp without an offset, Python's utcnow().isoformat(), is taken as UTC), within
   * the configured window around now, to the microsecond as PostgreSQL would read the text.
   */
  public static OffsetDateTime parseTimestamp(String field, JsonNode value, ValidationSettings limits) {
    OffsetDateTime parsed = value instanceof JsonNode.Str text ? Timestamps.parse(text.value()) : null;
    if (parsed == null) {
      throw new ValidationException(field, "timestamp", "must be an ISO-8601 timestamp");
    }
    return Timestamps.toMicros(Timestamps.requireWithin(field, parsed, limits, "is"));
  }

  /** A time the event did not state itself (its Kafka record's), within the same window. */
  public static OffsetDateTime requireWithinWindow(String field, OffsetDateTime time, ValidationSettings limits,
      String what) {
    return Timestamps.requireWithin(field, time, limits, what);
  }

  private JsonNode take(String name) {
    read.add(name);
    JsonNode value = json.get(name);
    return value instanceof JsonNode.Literal literal && literal.value() == null ? null : value;
  }

  private String field(String name) {
    return path + "." + name;
  }

  private static String abbreviate(String text) {
    return text.length() <= 40 ? text : text.substring(0, 40) + "...";
  }
}
