package io.omninode.bridge.adapter.config;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Limits on what an event may carry: the size of a Kafka message, the depth and size of each JSON
 * object stored in a JSONB column, the characters allowed in identifier fields (namespace,
 * workflow_type, entity_type, node_id, node_type), how far from now an event's times may lie, and
 * whether an envelope may name another event type than its topic's.
 *
 * @param maxTimestampPastMs     an event or payload time further in the past than this is refused
 * @param maxTimestampFutureMs   an event or payload time further in the future than this is refused
 * @param allowEventTypeOverride whether an envelope's {@code event_type} may differ from its topic's
 */
public record ValidationSettings(int maxMessageBytes, int maxJsonDepth, int maxJsonBytes, Pattern identifierPattern,
    long maxTimestampPastMs, long maxTimestampFutureMs, boolean allowEventTypeOverride) {

  /** Ten thousand years: a window wider than any time PostgreSQL's timestamptz can hold. */
  private static final long MAX_WINDOW_MS = 10_000L * 366 * 24 * 3_600_000;

  /** The defaults, for code that validates outside a running adapter. */
  public static final ValidationSettings DEFAULTS = from(ConfigReader.defaults("validation"));

  public static ValidationSettings from(ConfigReader config) {
    String pattern = config.string("identifier_pattern");
    try {
      return new ValidationSettings(
          config.integer("max_message_bytes", 1_024, 100 * 1_048_576),
          config.integer("max_json_depth", 1, 1_000),
          config.integer("max_json_bytes", 64, 100 * 1_048_576),
          Pattern.compile(pattern),
          config.longInteger("max_timestamp_past_ms", 1_000, MAX_WINDOW_MS),
          config.longInteger("max_timestamp_future_ms", 1_000, MAX_WINDOW_MS),
          config.bool("allow_event_type_override"));
    } catch (PatternSyntaxException invalid) {
      throw new ConfigException("validation.identifier_pattern", "is not a regular expression: " + invalid.getMessage());
    }
  }
}
