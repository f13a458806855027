package io.omninode.bridge.adapter.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;
import java.util.Map;

/**
 * Reads one section of the configuration with defaults and validation, after applying the
 * {@code BRIDGE_<SECTION>_<KEY>} environment overrides. The only class that reads raw config.
 */
public final class ConfigReader {

  private static final String ENV_PREFIX = "BRIDGE_";

  private final String section;
  private final JsonObject json;

  private ConfigReader(String section, JsonObject json) {
    this.section = section;
    this.json = json;
  }

  /** The section of {@code root} named {@code section}, with environment overrides applied last. */
  public static ConfigReader section(JsonObject root, Map<String, String> env, String section) {
    JsonObject json = root.getJsonObject(section, new JsonObject()).copy();
    String prefix = ENV_PREFIX + section.toUpperCase() + "_";
    env.forEach((name, value) -> {
      if (name.startsWith(prefix) && name.length() > prefix.length()) {
        json.put(name.substring(prefix.length()).toLowerCase(), value);
      }
    });
    return new ConfigReader(section, json);
  }

  public String string(String key, String defaultValue) {
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    return value.toString();
  }

  public String requiredString(String key) {
    String value = string(key, null);
    if (value == null || value.isBlank()) {
      throw new ConfigException(name(key), "is required");
    }
    return value;
  }

  public int integer(String key, int defaultValue, int min, int max) {
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    try {
      int parsed = value instanceof Number number ? number.intValue() : Integer.parseInt(value.toString().trim());
      if (parsed < min || parsed > max) {
        throw new ConfigException(name(key), "must be between " + min + " and " + max + ", got " + parsed);
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new ConfigException(name(key), "must be an integer, got '" + value + "'");
    }
  }

  public boolean bool(String key, boolean defaultValue) {
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
    }
    if (value instanceof Boolean b) {
      return b;
    }
    return switch (value.toString().trim().toLowerCase()) {
      case "true" -> true;
      case "false" -> false;
      default -> throw new ConfigException(name(key), "must be true or false, got '" + value + "'");
    };
  }

  /** A list given as a JSON array or, from the environment, as a comma-separated string. */
  public List<String> strings(String key, List<String> defaultValue) {
    Object value = json.getValue(key);
    if (value == null) {
      return defaultValue;
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

  private String name(String key) {
    return section + "." + key;
  }
}
