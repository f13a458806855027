package io.omninode.bridge.adapter.operation;

import io.omninode.bridge.adapter.config.AdapterSettings;
import io.omninode.bridge.adapter.config.DatabaseSettings;
import io.omninode.bridge.adapter.config.OperationSettings;
import io.omninode.bridge.adapter.config.ValidationSettings;
import io.omninode.bridge.adapter.metrics.AdapterMetrics;
import io.omninode.bridge.adapter.metrics.PerformanceCategory;
import io.omninode.bridge.adapter.store.DatabaseBreaker;
import io.omninode.bridge.adapter.store.PgPools;
import io.omninode.bridge.adapter.store.SqlErrors;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * One operation's verticle: answers requests on its address and coalesces the requests that
 * arrive while earlier statements run into one multi-row statement, then replies per event.
 * When PostgreSQL refuses a batch for a value (permanent), the batch is bisected so that only
 * the offending event fails and the rest are written. Every statement goes through the shared
 * database circuit breaker.
 *
 * @param <R> the validated row one request becomes
 */
public abstract class BatchingVerticle<R> extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(BatchingVerticle.class);

  private final OperationType type;
  private final DatabaseSettings database;
  private final OperationSettings settings;
  private final ValidationSettings limits;
  private final DatabaseBreaker breaker;
  private final AdapterMetrics metrics;
  private final ArrayDeque<Pending<R>> queue = new ArrayDeque<>();
  private int batchesInFlight;
  private boolean flushScheduled;
  private long lingerTimer = -1;
  private MessageConsumer<Object> consumer;
  private Promise<Void> drained;
  protected Pool pool;

  private record Pending<R>(R row, OperationRequest request, Message<Object> message, long startNanos) {
  }

  protected BatchingVerticle(OperationType type, AdapterSettings settings, DatabaseBreaker breaker,
      AdapterMetrics metrics) {
    this.type = type;
    this.database = settings.database();
    this.settings = settings.operations();
    this.limits = settings.validation();
    this.breaker = breaker;
    this.metrics = metrics;
  }

  /** Validates one request into the row it will write; throws {@link ValidationException}. */
  protected abstract R toRow(OperationRequest request);

  /** Writes the rows in as few round trips as possible; rows affected per row, in order. */
  protected abstract Future<int[]> persist(List<R> rows);

  @Override
  public Future<?> start() {
    pool = PgPools.shared(vertx, database);
    consumer = vertx.eventBus().consumer(type.address(), this::acceptRequest);
    return consumer.completion();
  }

  /**
   * Answers the requests already queued or running, turns new ones away with a transient error
   * (rather than unregistering, which would leave their senders waiting), then lets go of the pool.
   */
  @Override
  public Future<?> stop() {
    drained = Promise.promise();
    long timer = vertx.setTimer(settings.requestTimeoutMs(), id -> drained.tryComplete());
    completeIfDrained();
    return drained.future()
        .andThen(v -> vertx.cancelTimer(timer))
        .compose(v -> consumer.unregister())
        .eventually(() -> pool.close());
  }

  private void completeIfDrained() {
    if (drained != null && queue.isEmpty() && batchesInFlight == 0) {
      drained.tryComplete();
    }
  }

  /** JSON from anywhere on the event bus, or a {@link LocalCall} from this instance's consumer. */
  private void acceptRequest(Message<Object> message) {
    long start = System.nanoTime();
    if (drained != null) {
      reply(message, OperationResult.failed(type, correlationOf(message.body()), 0, ErrorType.SHUTTING_DOWN,
          type.wireName() + " is stopping"));
      return;
    }
    try {
      OperationRequest request = message.body() instanceof LocalCall call ? call.request()
          : OperationRequest.from(type, (JsonObject) message.body(), limits);
      queue.add(new Pending<>(toRow(request), request, message, start));
      scheduleFlush();
    } catch (ValidationException invalid) {
      reply(message, OperationResult.invalid(type, correlationOf(message.body()), elapsedMs(start), invalid));
    }
  }

  /** A local caller gets the result itself, anyone else its JSON form (SPEC §4). */
  private static void reply(Message<Object> message, OperationResult result) {
    message.reply(message.body() instanceof LocalCall ? result : result.toJson());
  }

  /**
   * Flush on the next turn of the event loop, so that a burst of requests becomes one batch; or,
   * with {@code linger_ms}, once a batch is full or the linger has passed, whichever comes first.
   */
  private void scheduleFlush() {
    if (batchesInFlight >= settings.maxBatchesInFlight() || queue.isEmpty()) {
      return;
    }
    boolean full = queue.size() >= settings.maxBatchSize();
    if (lingerTimer >= 0 && full) {
      vertx.cancelTimer(lingerTimer);
      lingerTimer = -1;
    }
    if (flushScheduled || lingerTimer >= 0) {
      return;
    }
    if (settings.lingerMs() > 0 && !full && drained == null) {
      lingerTimer = vertx.setTimer(settings.lingerMs(), id -> {
        lingerTimer = -1;
        flush();
      });
    } else {
      flushScheduled = true;
      context.runOnContext(v -> flush());
    }
  }

  private void flush() {
    flushScheduled = false;
    while (!queue.isEmpty() && batchesInFlight < settings.maxBatchesInFlight()) {
      List<Pending<R>> batch = new ArrayList<>(Math.min(queue.size(), settings.maxBatchSize()));
      while (!queue.isEmpty() && batch.size() < settings.maxBatchSize()) {
        batch.add(queue.poll());
      }
      batchesInFlight++;
      write(batch).onComplete(done -> {
        batchesInFlight--;
        scheduleFlush();
        completeIfDrained();
      });
    }
  }

  private Future<Void> write(List<Pending<R>> batch) {
    List<R> rows = batch.stream().map(Pending::row).toList();
    long start = System.nanoTime();
    return breaker.<int[]>execute(() -> persist(rows))
        .andThen(done -> recordStatement(batch.size(), start, done.failed() ? done.cause() : null))
        .map(counts -> replyPersisted(batch, counts))
        .recover(failure -> writeAfterFailure(batch, failure));
  }

  private void recordStatement(int events, long startNanos, Throwable failure) {
    long nanos = System.nanoTime() - startNanos;
    String outcome = failure == null ? "success" : SqlErrors.classify(failure).name().toLowerCase(Locale.ROOT);
    metrics.operation(type.wireName(), outcome, nanos, events);
    long millis = TimeUnit.NANOSECONDS.toMillis(nanos);
    PerformanceCategory category = PerformanceCategory.of(millis);
    log.atLevel(category == PerformanceCategory.VERY_SLOW ? Level.WARN : Level.DEBUG)
        .addKeyValue("operation", type.wireName()).addKeyValue("events", events).addKeyValue("outcome", outcome)
        .addKeyValue("duration_ms", millis).addKeyValue("performance_category", category)
        .log("Statement finished");
  }

  private Void replyPersisted(List<Pending<R>> batch, int[] counts) {
    for (int i = 0; i < batch.size(); i++) {
      Pending<R> pending = batch.get(i);
      reply(pending.message(), OperationResult.persisted(type, pending.request().correlationId(),
          counts[i], elapsedMs(pending.startNanos())));
    }
    return null;
  }

  private Future<Void> writeAfterFailure(List<Pending<R>> batch, Throwable failure) {
    ErrorType error = SqlErrors.classify(failure);
    if (!error.isTransient() && batch.size() > 1) {
      int half = batch.size() / 2;
      return write(batch.subList(0, half)).compose(v -> write(batch.subList(half, batch.size())));
    }
    String message = SqlErrors.describe(failure);
    // while the breaker is open every batch fails fast: the breaker's own state change is the news
    log.atLevel(error == ErrorType.CIRCUIT_OPEN ? Level.DEBUG : Level.WARN)
        .addKeyValue("operation", type.wireName()).addKeyValue("error_type", error)
        .addKeyValue("events", batch.size()).log("Batch not written: {}", message);
    for (Pending<R> pending : batch) {
      reply(pending.message(), OperationResult.failed(type, pending.request().correlationId(),
          elapsedMs(pending.startNanos()), error, message));
    }
    return Future.succeededFuture();
  }

  private static java.util.UUID correlationOf(Object message) {
    if (message instanceof LocalCall call) {
      return call.request().correlationId();
    }
    JsonObject body = (JsonObject) message;
    try {
      Object id = body.getValue("correlation_id");
      return id == null ? null : java.util.UUID.fromString(id.toString());
    } catch (IllegalArgumentException notUuid) {
      return null;
    }
  }

  private static long elapsedMs(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
