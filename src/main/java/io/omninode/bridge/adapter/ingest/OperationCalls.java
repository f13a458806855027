package io.omninode.bridge.adapter.ingest;

import io.omninode.bridge.adapter.contract.LocalCall;
import io.omninode.bridge.adapter.contract.OperationResult;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * Sends each delivery to its operation's address, point to point and local only, and takes the
 * results back onto the consumer's context, one hop for all the results of a statement. A result
 * that has not come after {@code request_timeout_ms} is reported as missing (found by
 * {@link #sweep}, about once a second). Event-loop confined, but for the results' arrival.
 */
final class OperationCalls {

  private final Vertx vertx;
  private final Context context;
  private final long timeoutNanos;
  private final BiConsumer<Delivery, OperationResult> onResult;
  private final BiConsumer<Delivery, String> onNoResult;
  private final DeliveryOptions localOnly = new DeliveryOptions().setLocalOnly(true);
  private final LocalCall.Replies replies = this::arrived;
  private final AwaitingResults awaiting = new AwaitingResults();

  OperationCalls(Vertx vertx, Context context, long timeoutMs, BiConsumer<Delivery, OperationResult> onResult,
      BiConsumer<Delivery, String> onNoResult) {
    this.vertx = vertx;
    this.context = context;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    this.onResult = onResult;
    this.onNoResult = onNoResult;
  }

  /** Throws, awaiting nothing, when the request could not be sent. */
  void send(Delivery delivery) {
    awaiting.add(delivery, System.nanoTime());
    try {
      vertx.eventBus().send(delivery.event.request().type().address(),
          new LocalCall(delivery.event.request(), delivery, replies, delivery.source()), localOnly);
    } catch (RuntimeException notSent) {
      awaiting.remove(delivery);
      throw notSent;
    }
  }

  /** Deliveries whose results are overdue (an operation gone, a bug) are reported once, as missing. */
  void sweep() {
    awaiting.expired(System.nanoTime(), timeoutNanos).forEach(delivery ->
        onNoResult.accept(delivery, "no result within " + TimeUnit.NANOSECONDS.toMillis(timeoutNanos) + " ms"));
  }

  /** On the operation's thread: one hop back to ours for all; a result after its delivery expired is dropped. */
  private void arrived(List<LocalCall> calls, List<OperationResult> results) {
    context.runOnContext(v -> {
      for (int i = 0; i < calls.size(); i++) {
        Delivery delivery = (Delivery) calls.get(i).tag();
        if (awaiting.remove(delivery)) {
          onResult.accept(delivery, results.get(i));
        }
      }
    });
  }
}
