package io.omninode.bridge.adapter.batching;

import io.omninode.bridge.adapter.contract.ErrorType;
import io.omninode.bridge.adapter.contract.OperationResult;
import io.omninode.bridge.adapter.contract.OperationType;
import io.omninode.bridge.adapter.contract.ProcessingFailure;
import io.omninode.bridge.adapter.metrics.AdapterMetrics;
import io.omninode.bridge.adapter.metrics.PerformanceCategory;
import io.omninode.bridge.adapter.operation.Operation;
import io.omninode.bridge.adapter.store.DatabaseBreaker;
import io.omninode.bridge.adapter.store.SqlErrors;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Writes one batch through the database breaker and says what became of each request in it. When
 * PostgreSQL refuses the batch for a value (permanent), the batch is bisected so that only the
 * offending request fails and the others are written.
 */
final class BatchWriter<R> {

  private static final Logger log = LoggerFactory.getLogger(BatchWriter.class);

  private final Operation<R> operation;
  private final OperationType type;
  private final Pool pool;
  private final DatabaseBreaker breaker;
  private final AdapterMetrics metrics;
  private final AdapterMetrics.Stage queueStage;
  private final AdapterMetrics.Stage statementStage;

  BatchWriter(Operation<R> operation, Pool pool, DatabaseBreaker breaker, AdapterMetrics metrics) {
    this.operation = operation;
    this.type = operation.type();
    this.pool = pool;
    this.breaker = breaker;
    this.metrics = metrics;
    this.queueStage = metrics.stage("queue");
    this.statementStage = metrics.stage("statement");
  }

  /**
   * One result per request, in order; never fails. An exception of the operation's own code, while it
   * builds the statement or reads its result, is a {@link ErrorType#PROCESSING_ERROR}: never the
   * database's fault, so the breaker does not count it, and bisected as a refused value is.
   */
  Future<List<OperationResult>> write(List<OperationVerticle.Pending<R>> batch) {
    List<R> rows = batch.stream().map(OperationVerticle.Pending::row).toList();
    long start = System.nanoTime();
    batch.forEach(pending -> queueStage.record(start - pending.startNanos()));
    return breaker.<int[]>execute(() -> persist(rows))
        .andThen(done -> recordStatement(batch, start, done.failed() ? done.cause() : null))
        .map(counts -> persisted(batch, counts, start))
        .recover(failure -> afterFailure(batch, failure));
  }

  private Future<int[]> persist(List<R> rows) {
    try {
      return operation.persist(pool, rows);
    } catch (RuntimeException thrown) {
      return Future.failedFuture(new ProcessingFailure(thrown));
    }
  }

  private List<OperationResult> persisted(List<OperationVerticle.Pending<R>> batch, int[] counts, long start) {
    long statement = System.nanoTime() - start;
    if (counts.length != batch.size()) {
      throw new ProcessingFailure(new IllegalStateException(type.wireName() + " reported " + counts.length
          + " counts for " + batch.size() + " rows"));
    }
    List<OperationResult> results = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      OperationVerticle.Pending<R> pending = batch.get(i);
      statementStage.record(statement);
      results.add(OperationResult.persisted(type, pending.request().correlationId(), counts[i],
          OperationVerticle.elapsedMs(pending.startNanos())));
    }
    return results;
  }

  private Future<List<OperationResult>> afterFailure(List<OperationVerticle.Pending<R>> batch, Throwable failure) {
    ErrorType error = SqlErrors.classify(failure);
    if (!error.isTransient() && batch.size() > 1) {
      int half = batch.size() / 2;
      return write(batch.subList(0, half)).compose(first -> write(batch.subList(half, batch.size())).map(second -> {
        List<OperationResult> both = new ArrayList<>(first);
        both.addAll(second);
        return both;
      }));
    }
    String message = SqlErrors.describe(failure);
    // while the breaker is open every batch fails fast: the breaker's own state change is the news
    log.atLevel(error == ErrorType.CIRCUIT_OPEN ? Level.DEBUG : error == ErrorType.PROCESSING_ERROR ? Level.ERROR : Level.WARN)
        .setCause(error == ErrorType.PROCESSING_ERROR ? failure : null)
        .addKeyValue("operation", type.wireName()).addKeyValue("error_type", error)
        .addKeyValue("events", batch.size()).log("Batch not written: {}", message);
    return Future.succeededFuture(batch.stream().map(pending -> OperationResult.failed(type,
        pending.request().correlationId(), OperationVerticle.elapsedMs(pending.startNanos()), error, message)).toList());
  }

  /**
   * Times the statement, counts a failed one by SQLSTATE class (not one the breaker or the adapter's
   * own code stopped before it reached PostgreSQL), and logs a slow one at WARN with what it covered.
   */
  private void recordStatement(List<OperationVerticle.Pending<R>> batch, long startNanos, Throwable failure) {
    long nanos = System.nanoTime() - startNanos;
    ErrorType error = failure == null ? null : SqlErrors.classify(failure);
    String outcome = error == null ? "success" : error.name().toLowerCase(Locale.ROOT);
    metrics.operation(type.wireName(), outcome, nanos, batch.size());
    if (error != null && error != ErrorType.CIRCUIT_OPEN && error != ErrorType.PROCESSING_ERROR) {
      metrics.failures().statementFailed(type.wireName(), SqlErrors.sqlStateClass(failure));
    }
    long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
    PerformanceCategory category = PerformanceCategory.of(millis);
    Level level = category == PerformanceCategory.VERY_SLOW ? Level.WARN : Level.DEBUG;
    if (log.isEnabledForLevel(level)) {
      StatementSources sources = StatementSources.of(batch.stream().map(pending -> pending.message().body()));
      log.atLevel(level).addKeyValue("operation", type.wireName()).addKeyValue("events", batch.size())
          .addKeyValue("outcome", outcome).addKeyValue("duration_ms", millis).addKeyValue("performance_category", category)
          .addKeyValue("attempt", sources.attempt()).addKeyValue("partitions", sources.partitions())
          .log("Statement finished");
    }
  }
}
