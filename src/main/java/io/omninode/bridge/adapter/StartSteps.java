package io.omninode.bridge.adapter;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.List;
import java.util.function.Supplier;

/**
 * A start as steps run in order, which {@link #abort()} cuts short: the step under way finishes, no
 * other begins, and the start succeeds with what it has. Why a stop needs this: {@link Lifecycle}.
 */
final class StartSteps {

  private enum Begun { NOW, ABORTED, AGAIN }

  private final Promise<Void> started = Promise.promise();
  private Context context; // guarded by this: the start's, once the steps run
  private boolean aborted; // guarded by this

  /** Says when the start is done; a start aborted before it began never completes. Runs once. */
  Future<Void> run(Context context, List<Supplier<Future<?>>> steps) {
    Begun begun = begin(context);
    if (begun == Begun.AGAIN) {
      return Future.failedFuture(new IllegalStateException("the main verticle is deployed once"
          + " (operations.instances sets how many of each operation verticle run)"));
    }
    if (begun == Begun.ABORTED) {
      return Promise.<Void>promise().future();
    }
    Future<?> chain = Future.succeededFuture();
    for (Supplier<Future<?>> step : steps) {
      // the step runs outside the lock: a deployment during Vert.x's close waits for the close hooks
      chain = chain.compose(v -> isAborted() ? Future.succeededFuture() : step.get());
    }
    chain.onSuccess(v -> started.tryComplete()).onFailure(started::tryFail);
    return started.future();
  }

  /**
   * Ends the start early; completes once whoever waits on the start has seen it settle (one turn of
   * its context later), at once if it has not begun.
   */
  synchronized Future<Void> abort() {
    aborted = true;
    if (context == null) {
      return Future.succeededFuture();
    }
    Context running = context;
    return started.future().transform(settled -> Future.future(turn -> running.runOnContext(v -> turn.complete())));
  }

  private synchronized Begun begin(Context context) {
    if (this.context != null) {
      return Begun.AGAIN;
    }
    if (aborted) {
      return Begun.ABORTED;
    }
    this.context = context;
    return Begun.NOW;
  }

  private synchronized boolean isAborted() {
    return aborted;
  }
}
