package io.omninode.bridge.adapter.config;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Limits on what an event may carry (the seed's SecurityValidator): the size of a Kafka message,
 * the depth and size of each JSON object stored in a JSONB column, and the characters allowed in
 * identifier fields (namespace, workflow_type, entity_type, node_id, node_type).
 */
public record ValidationSettings(int maxMessageBytes, int maxJsonDepth, int maxJsonBytes, Pattern identifierPattern) {

  /** The defaults, for code that validates outside a running adapter. */
  public static final ValidationSettings DEFAULTS = from(ConfigReader.defaults("validation"));

  public static ValidationSettings from(ConfigReader config) {
    String pattern = config.string("identifier_pattern");
    try {
      return new ValidationSettings(
          config.integer("max_message_bytes", 1_024, 100 * 1_048_576),
          config.integer("max_json_depth", 1, 1_000),
          config.integer("max_json_bytes", 64, 100 * 1_048_576),
          Pattern.compile(pattern));
    } catch (PatternSyntaxException invalid) {
      throw new ConfigException("validation.identifier_pattern", "is not a regular expression: " + invalid.getMessage());
    }
  }
}
