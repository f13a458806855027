package io.omninode.bridge.adapter.ingest;

import io.vertx.core.json.JsonObject;

/** Counters of the Kafka consumer verticle (event-loop confined); the metrics issue exports them. */
final class IngestStats {

  long consumed;
  long persisted;
  long rejected;
  long deadLettered;
  long retried;
  long breakerOpened;
  long commits;
  long lastCommitAtMs;

  JsonObject toJson(int inFlight, boolean holding, int partitions) {
    return new JsonObject()
        .put("consumed", consumed)
        .put("persisted", persisted)
        .put("rejected", rejected)
        .put("dead_lettered", deadLettered)
        .put("retried", retried)
        .put("breaker_opened", breakerOpened)
        .put("commits", commits)
        .put("last_commit_at_ms", lastCommitAtMs)
        .put("in_flight", inFlight)
        .put("paused", holding)
        .put("assigned_partitions", partitions);
  }
}
