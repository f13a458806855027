package io.omninode.bridge.adapter.ingest;

import io.omninode.bridge.adapter.config.KafkaSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Creates the dead-letter topics of the consumed topics when they are missing. */
final class DeadLetterTopics {

  private static final Logger log = LoggerFactory.getLogger(DeadLetterTopics.class);

  private DeadLetterTopics() {
  }

  /** Never fails: the topics may be managed elsewhere, and a failed dead-letter write holds its partition instead. */
  static Future<Void> ensure(Vertx vertx, KafkaClients clients, KafkaSettings settings) {
    return vertx.<Void>executeBlocking(() -> {
          clients.createMissingTopics(settings.topics().stream().map(settings::deadLetterTopic).toList());
          return null;
        })
        .recover(failure -> {
          log.atWarn().log("Could not check or create the dead-letter topics: {}", failure.toString());
          return Future.succeededFuture();
        });
  }
}
