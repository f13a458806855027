package io.omninode.bridge.adapter.web;

import io.omninode.bridge.adapter.config.DatabaseSettings;
import io.omninode.bridge.adapter.store.ConnectFailures;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Asks PostgreSQL for its version at most once a second, for {@code /health} and
 * {@code /health/ready} alike: requests that arrive while the query runs share it, and its outcome
 * is reused until the query is a second old, so health requests, however many, cost the pool the
 * operations write through one query a second at most. Straight on the pool, not through the
 * {@link io.omninode.bridge.adapter.store.DatabaseBreaker}: a health request must neither open the
 * breaker nor be refused by it. A failure is told in {@link ConnectFailures}' words: a refused login
 * names the user and where its password comes from. Confined to the web verticle's event loop.
 */
final class DatabaseProbe {

  private static final String QUERY = "SELECT version()";
  private static final long MAX_AGE_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** Under the health procedure's own timeout, so that the procedure reports this probe's reason. */
  private static final long TIMEOUT_MS = 1_500;

  private final Pool pool;
  private final DatabaseSettings settings;
  private Future<String> query;
  private long startedAtNanos;
  private Future<String> waiting;

  DatabaseProbe(Pool pool, DatabaseSettings settings) {
    this.pool = pool;
    this.settings = settings;
  }

  /**
   * The server's version, or why the database did not answer (within 1.5 s of the first caller to
   * wait); while a query hangs, no second one starts.
   */
  Future<String> version() {
    long now = System.nanoTime();
    if (query == null || query.isComplete() && now - startedAtNanos >= MAX_AGE_NANOS) {
      startedAtNanos = now;
      query = pool.query(QUERY).execute().map(rows -> rows.iterator().next().getString(0))
          .recover(failure -> Future.failedFuture(new IllegalStateException(ConnectFailures.describe(failure, settings),
              failure)));
    }
    if (query.isComplete()) {
      return query;
    }
    if (waiting == null || waiting.isComplete()) {
      waiting = query.timeout(TIMEOUT_MS, TimeUnit.MILLISECONDS).recover(failure -> Future.failedFuture(
          failure instanceof TimeoutException ? new TimeoutException("no answer within " + TIMEOUT_MS + " ms") : failure));
    }
    return waiting;
  }
}
