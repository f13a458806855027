package io.omninode.bridge.adapter.testsupport;

import io.vertx.core.json.JsonObject;

import java.util.UUID;

/** Requests a verticle may send straight to an operation's event-bus address, as the README shows them. */
public final class DirectRequests {

  private DirectRequests() {
  }

  /** A {@code persist_bridge_state} request for a new bridge, whose counters are {@code i} and {@code 10 i}. */
  public static JsonObject bridgeState(int i, String aggregatedAt) {
    return new JsonObject()
        .put("operation_type", "persist_bridge_state")
        .put("correlation_id", UUID.randomUUID().toString())
        .put("bridge_state_data", new JsonObject()
            .put("bridge_id", UUID.randomUUID().toString())
            .put("namespace", "production")
            .put("total_workflows_processed", i)
            .put("total_items_aggregated", i * 10)
            .put("current_fsm_state", "ACTIVE")
            .put("last_aggregation_timestamp", aggregatedAt));
  }
}
