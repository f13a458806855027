package io.omninode.bridge.adapter.config;

import java.util.concurrent.ThreadLocalRandom;

/**
 * How the adapter rides out database and broker trouble: the circuit breaker in front of the
 * database, the backoff of retried events, and how long a shutdown may take.
 */
public record ResilienceSettings(
    int breakerMaxFailures,
    int breakerResetTimeoutMs,
    int breakerCallTimeoutMs,
    int retryInitialMs,
    int retryMaxMs,
    int shutdownTimeoutMs) {

  /** Exponential backoff with jitter: attempt n waits between half and all of min(max, initial * 2^n). */
  public long retryDelayMs(int attempt) {
    long ceiling = Math.min(retryMaxMs, (long) retryInitialMs << Math.min(attempt, 20));
    return Math.max(1, ceiling / 2 + ThreadLocalRandom.current().nextLong(ceiling / 2 + 1)); // a 0 ms timer is refused
  }

  public static ResilienceSettings from(ConfigReader config) {
    int retryInitialMs = config.integer("retry_initial_ms", 1, 60_000);
    return new ResilienceSettings(
        config.integer("breaker_max_failures", 1, 1_000),
        config.integer("breaker_reset_timeout_ms", 100, 3_600_000),
        config.integer("breaker_call_timeout_ms", 100, 600_000),
        retryInitialMs,
        config.integer("retry_max_ms", retryInitialMs, 600_000),
        config.integer("shutdown_timeout_ms", 1_000, 600_000));
  }
}
