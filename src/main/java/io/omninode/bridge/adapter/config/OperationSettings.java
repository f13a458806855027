package io.omninode.bridge.adapter.config;

/**
 * How the operation verticles coalesce events into statements. {@code lingerMs}: how long a batch
 * smaller than {@code maxBatchSize} may wait for more events before it is written (0: write on the
 * next turn of the event loop); fewer, larger statements cost PostgreSQL less CPU and fewer commits.
 * {@code maxStatementBytes}: the events of one statement carry at most this much JSON (one event
 * alone may carry more), so that a batch of large events never builds a Bind message the heap cannot hold.
 */
public record OperationSettings(int instances, int maxBatchSize, int maxBatchesInFlight, int requestTimeoutMs,
    int lingerMs, long maxStatementBytes) {

  public static OperationSettings from(ConfigReader config) {
    return new OperationSettings(
        config.integer("instances", 1, 64),
        config.integer("max_batch_size", 1, 10_000),
        config.integer("max_batches_in_flight", 1, 256),
        config.integer("request_timeout_ms", 100, 600_000),
        config.integer("linger_ms", 0, 1_000),
        config.longInteger("max_statement_bytes", 1_024, 1L << 30));
  }
}
