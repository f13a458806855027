package io.omninode.bridge.adapter.batching;

import io.omninode.bridge.adapter.config.AdapterSettings;
import io.omninode.bridge.adapter.config.DatabaseSettings;
import io.omninode.bridge.adapter.config.OperationSettings;
import io.omninode.bridge.adapter.config.ValidationSettings;
import io.omninode.bridge.adapter.contract.Envelopes;
import io.omninode.bridge.adapter.contract.ErrorType;
import io.omninode.bridge.adapter.contract.OperationRequest;
import io.omninode.bridge.adapter.contract.OperationResult;
import io.omninode.bridge.adapter.contract.ResultPath;
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

import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs one {@link Operation} on its address: validates each request into a row, lets the
 * {@link Batcher} coalesce the rows into batches, writes each batch through {@link BatchWriter}, and
 * answers every request with its own result ({@link ResultPath#answer}). The same verticle for all six
 * operations.
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
        batch -> writer.write(batch).onSuccess(results -> ResultPath.answer(messagesOf(batch), results)));
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

  /** JSON from anywhere on the event bus, or a {@link ResultPath.Call} from this instance's consumer. */
  private void accept(Message<Object> message) {
    long start = System.nanoTime();
    if (stopping) {
      answer(message, OperationResult.failed(operation.type(), correlationOf(message.body()), 0,
          ErrorType.SHUTTING_DOWN, operation.type().wireName() + " is stopping"));
      return;
    }
    try {
      OperationRequest request = message.body() instanceof ResultPath.Call<?> call ? call.request()
          : Envelopes.fromRequest(operation.type(), (JsonObject) message.body(), limits);
      batcher.add(new Pending<>(operation.toRow(request), request, message, start));
    } catch (ValidationException invalid) {
      answer(message, OperationResult.invalid(operation.type(), correlationOf(message.body()), elapsedMs(start), invalid));
    } catch (RuntimeException unforeseen) {
      log.atError().setCause(unforeseen).addKeyValue("operation", operation.type().wireName())
          .log("Request not turned into a row: {}", unforeseen.toString());
      answer(message, OperationResult.failed(operation.type(), correlationOf(message.body()), elapsedMs(start),
          ErrorType.PROCESSING_ERROR, unforeseen.toString()));
    }
  }

  private static void answer(Message<Object> message, OperationResult result) {
    ResultPath.answer(List.of(message), List.of(result));
  }

  private static List<Message<Object>> messagesOf(List<? extends Pending<?>> batch) {
    return batch.stream().map(Pending::message).toList();
  }

  private static UUID correlationOf(Object body) {
    if (body instanceof ResultPath.Call<?> call) {
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
