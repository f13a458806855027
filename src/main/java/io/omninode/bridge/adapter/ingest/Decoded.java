package io.omninode.bridge.adapter.ingest;

import io.vertx.core.json.JsonObject;

/** What a Kafka record decodes to: an operation request for the event bus, or a named rejection. */
public sealed interface Decoded {

  /** A well-formed envelope, turned into the request its operation verticle answers. */
  record Accepted(EventType type, String correlationId, long eventTimeMs, JsonObject request) implements Decoded {
  }

  /**
   * Bad input: the error type, the field at fault, the rule it broke and what is wrong with it, and
   * the envelope's correlation id when it could be read (for the logs).
   */
  record Rejected(String errorType, String field, String rule, String message, String correlationId)
      implements Decoded {

    Rejected(String errorType, String field, String rule, String message) {
      this(errorType, field, rule, message, null);
    }
  }
}
