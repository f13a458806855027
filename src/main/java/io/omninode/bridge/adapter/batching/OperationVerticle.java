package io.omninode.bridge.adapter.batching;

import io.omninode.bridge.adapter.config.AdapterSettings;
import io.omninode.bridge.adapter.config.DatabaseSettings;
import io.omninode.bridge.adapter.config.OperationSettings;
import io.omninode.bridge.adapter.config.ValidationSettings;
import io.omninode.bridge.adapter.contract.Envelopes;
import io.omninode.bridge.adapter.contract.ErrorType;
import io.omninode.bridge.adapter.contract.LocalCall;
import io.omninode.bridge.adapter.contract.OperationRequest;
import io.omninode.bridge.adapter.contract.OperationResult;
import io.omninode.bridge.adapter.metrics.AdapterMetrics;
import io.omninode.bridge.adapter.operation.Operation;
import io.omninode.bridge.adapter.store.DatabaseBreaker;
import io.omninode.bridge.adapter.store.PgPools;
import io.omninode.bridge.adapter.validation.ValidationException;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs one {@link Operation} on its address: validates each request into a row, lets the
 * {@link Batcher} coalesce the rows into batches, writes each batch through {@link BatchWriter}, and
 * answers every request with its own result. The same verticle for all six operations.
 */
public final class OperationVerticle<R> extends VerticleBase {

  private static final Logger log = LoggerFactory.getLogger(OperationVerticle.class);

  private final Operation<R> operation;
  private final DatabaseSettings database;
  private final OperationSettings settings;
  private final ValidationSettings limits;
  private final DatabaseBreaker breaker;
  private final AdapterMetrics metrics;
  private Pool pool;
  private Batcher<Pending<R>> batcher;
  private MessageConsumer<Object> consumer;
  private boolean stopping;

  /** A validated request waiting for its batch; {@code startNanos} for the reply's execution time. */
  record Pending<R>(R row, OperationRequest request, Message<Object> message, long startNanos) {

    /** What the row weighs in its statement: its payload object's JSON. */
    long bytes() {
      return request.data().bytes();
    }
  }

  public OperationVerticle(Operation<R> operation, AdapterSettings settings, DatabaseBreaker breaker,
      AdapterMetrics metrics) {
    this.operation = operation;
    this.database = settings.database();
    this.settings = settings.operations();
    this.limits = settings.validation();
    this.breaker = breaker;
    this.metrics = metrics;
  }

  @Override
  public Future<?> start() {
    pool = PgPools.shared(vertx, database);
    BatchWriter<R> writer = new BatchWriter<>(operation, pool, breaker, metrics);
    batcher = new Batcher<>(settings.maxBatchSize(), settings.maxStatementBytes(), Pending::bytes,
        settings.maxBatchesInFlight(), settings.lingerMs(), new ContextScheduler(vertx, context),
        batch -> writer.write(batch).onSuccess(results -> reply(batch, results)));
    consumer = vertx.eventBus().consumer(operation.type().address(), this::accept);
    return consumer.completion();
  }

  /**
   * Answers the requests already queued or being written, turns new ones away with a transient
   * error (rather than unregistering, which would leave their senders waiting), then lets go of the pool.
   */
  @Override
  public Future<?> stop() {
    stopping = true;
    return batcher.drain()
        .timeout(settings.requestTimeoutMs(), TimeUnit.MILLISECONDS)
        .otherwiseEmpty()
        .compose(v -> consumer.unregister())
        .eventually(() -> pool.close());
  }

  /** JSON from anywhere on the event bus, or a {@link LocalCall} from this instance's consumer. */
  private void accept(Message<Object> message) {
    long start = System.nanoTime();
    if (stopping) {
      reply(message, OperationResult.failed(operation.type(), correlationOf(message.body()), 0,
          ErrorType.SHUTTING_DOWN, operation.type().wireName() + " is stopping"));
      return;
    }
    try {
      OperationRequest request = message.body() instanceof LocalCall call ? call.request()
          : Envelopes.fromRequest(operation.type(), (JsonObject) message.body(), limits);
      batcher.add(new Pending<>(operation.toRow(request), request, message, start));
    } catch (ValidationException invalid) {
      reply(message, OperationResult.invalid(operation.type(), correlationOf(message.body()), elapsedMs(start), invalid));
    } catch (RuntimeException unforeseen) {
      log.atError().setCause(unforeseen).addKeyValue("operation", operation.type().wireName())
          .log("Request not turned into a row: {}", unforeseen.toString());
      reply(message, OperationResult.failed(operation.type(), correlationOf(message.body()), elapsedMs(start),
          ErrorType.PROCESSING_ERROR, unforeseen.toString()));
    }
  }

  /**
   * Local callers get their results in one hop per sender; anyone else a JSON reply each. A reply that
   * cannot be given is logged: its sender finds the result missing and tries again.
   */
  private void reply(List<Pending<R>> batch, List<OperationResult> results) {
    Map<LocalCall.Replies, LocalResults> local = new IdentityHashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      Message<Object> message = batch.get(i).message();
      if (message.body() instanceof LocalCall call) {
        local.computeIfAbsent(call.replies(), replies -> new LocalResults()).add(call, results.get(i));
      } else {
        reply(message, results.get(i));
      }
    }
    local.forEach((replies, answered) -> {
      try {
        replies.accept(answered.calls, answered.results);
      } catch (RuntimeException failure) {
        log.error("Results not handed back", failure);
      }
    });
  }

  private static void reply(Message<Object> message, OperationResult result) {
    try {
      if (message.body() instanceof LocalCall call) {
        call.replies().accept(List.of(call), List.of(result));
      } else {
        message.reply(result.toJson());
      }
    } catch (RuntimeException failure) {
      log.error("Result not handed back", failure);
    }
  }

  /** The calls of one sender answered by one statement, and their results. */
  private static final class LocalResults {
    final List<LocalCall> calls = new ArrayList<>();
    final List<OperationResult> results = new ArrayList<>();

    void add(LocalCall call, OperationResult result) {
      calls.add(call);
      results.add(result);
    }
  }

  private static UUID correlationOf(Object body) {
    if (body instanceof LocalCall call) {
      return call.request().correlationId();
    }
    Object id = body instanceof JsonObject json ? json.getValue("correlation_id") : null;
    try {
      return id == null ? null : UUID.fromString(id.toString());
    } catch (IllegalArgumentException notUuid) {
      return null;
    }
  }

  static long elapsedMs(long startNanos) {
    return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
  }
}
