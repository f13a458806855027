package io.omninode.bridge.adapter.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Reads one section of the configuration with validation: the defaults of every optional key
 * (the resource {@code defaults.json}, their one home), then the config file, then the
 * {@code BRIDGE_<SECTION>_<KEY>} environment overrides. The only class that reads raw config.
 */
public final class ConfigReader {

  private static final String ENV_PREFIX = "BRIDGE_";
  private static final JsonObject DEFAULTS = loadDefaults();

  private final String section;
  private final JsonObject json;

  private ConfigReader(String section, JsonObject json) {
    this.section = section;
    this.json = json;
  }

  /** The section of {@code root} named {@code section}, with environment overrides applied last. */
  public static ConfigReader section(JsonObject root, Map<String, String> env, String section) {
    JsonObject json = DEFAULTS.getJsonObject(section, new JsonObject()).copy();
    json.getMap().putAll(root.getJsonObject(section, new JsonObject()).copy().getMap());
    String prefix = ENV_PREFIX + section.toUpperCase(Locale.ROOT) + "_";
    env.forEach((name, value) -> {
      if (name.startsWith(prefix) && name.length() > prefix.length()) {
        json.put(name.substring(prefix.length()).toLowerCase(Locale.ROOT), value);
      }
    });
    return new ConfigReader(section, json);
  }

  /** The section's defaults alone, for code that validates outside a running adapter. */
  public static ConfigReader defaults(String section) {
    return section(new JsonObject(), Map.of(), section);
  }

  /** A string, or null when neither the defaults nor the config name it. */
  public String string(String key) {
    Object value = json.getValue(key);
    return value == null ? null : value.toString();
  }

  public String requiredString(String key) {
    String value = string(key);
    if (value == null || value.isBlank()) {
      throw new ConfigException(name(key), "is required");
    }
    return value;
  }

  public int integer(String key, int min, int max) {
    return (int) longInteger(key, min, max);
  }

  public long longInteger(String key, long min, long max) {
    Object value = required(key);
    try {
      long parsed = value instanceof Number number ? number.longValue() : Long.parseLong(value.toString().trim());
      if (parsed < min || parsed > max) {
        throw new ConfigException(name(key), "must be between " + min + " and " + max + ", got " + parsed);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new ConfigException(name(key), "must be an integer, got '" + value + "'");
    }
  }

  public boolean bool(String key) {
    Object value = required(key);
    if (value instanceof Boolean b) {
      return b;
    }
    return switch (value.toString().trim().toLowerCase(Locale.ROOT)) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(name(key), "must be true or false, got '" + value + "'");
    };
  }

  /** A list given as a JSON array or, from the environment, as a comma-separated string; null when absent. */
  public List<String> strings(String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return null;
    }
    if (value instanceof JsonArray array) {
      return array.stream().map(String::valueOf).toList();
    }
    return List.of(value.toString().split("\\s*,\\s*"));
  }

  /** A nested object passed through as-is (e.g. extra Kafka client properties). */
  public Map<String, Object> object(String key) {
    Object value = json.getValue(key);
    if (value == null) {
      return Map.of();
    }
    if (value instanceof JsonObject object) {
      return object.getMap();
    }
    throw new ConfigException(name(key), "must be a JSON object");
  }

  private Object required(String key) {
    Object value = json.getValue(key);
    if (value == null) {
      throw new ConfigException(name(key), "is required");
    }
    return value;
  }

  private static JsonObject loadDefaults() {
    try (InputStream in = ConfigReader.class.getResourceAsStream("/defaults.json")) {
      return new JsonObject(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    } catch (IOException | NullPointerException e) {
      throw new IllegalStateException("the defaults.json resource is missing from the jar", e);
    }
  }

  private String name(String key) {
    return section + "." + key;
  }
}
