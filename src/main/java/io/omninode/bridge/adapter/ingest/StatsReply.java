package io.omninode.bridge.adapter.ingest;

import io.omninode.bridge.adapter.contract.Addresses;
import io.omninode.bridge.adapter.store.DatabaseBreaker;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.util.List;

/**
 * The answer to {@link Addresses#INGEST_STATS} (the health check's {@code kafka_consumer}): the
 * consumer's counters, its flow, its partitions, their lag and what holds them. A partition is stuck
 * when it has not committed past a record for {@code stuck_partition_ms} while the database is up
 * (the breaker closed). Answered on the consumer's event loop, whose state it reads.
 */
record StatsReply(IngestStats stats, LagSampler lag, PartitionLedger ledger, PollThreadConsumer pollThread,
    DatabaseBreaker breaker, long stuckPartitionMs) {

  /** Registered on the calling verticle's context, and unregistered with it. */
  void register(EventBus eventBus) {
    eventBus.localConsumer(Addresses.INGEST_STATS, message -> message.reply(toJson()));
  }

  JsonObject toJson() {
    long stuckAfterMs = breaker.state() == CircuitBreakerState.CLOSED ? stuckPartitionMs : Long.MAX_VALUE;
    List<String> partitions = ledger.owned();
    JsonObject json = stats.toJson()
        .put("in_flight", ledger.inFlight())
        .put("paused", !pollThread.isFetching())
        .put("assigned_partitions", partitions.size())
        .put("partitions", new JsonArray(partitions));
    lag.addTo(json);
    stats.addUncommittable(json, stuckAfterMs);
    return json.put("in_flight_bytes", ledger.inFlightBytes()).put("breaker", breaker.state().name());
  }
}
