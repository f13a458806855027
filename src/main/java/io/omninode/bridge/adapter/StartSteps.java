package io.omninode.bridge.adapter;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.List;
import java.util.function.Supplier;

/**
 * The main verticle's start as steps that a stop arriving meanwhile cuts short: the step under way
 * (migrations, one deployment) finishes, nothing more runs, and the start succeeds with what it has,
 * so that Vert.x's close stops that in order. Vert.x 5.0.8 fails a verticle that is still starting
 * when it closes, then reports "Promise already completed" once that start completes.
 */
final class StartSteps {

  private enum Stage { WAITING, RUNNING }

  private final Promise<Void> started = Promise.promise();
  private Stage stage = Stage.WAITING; // guarded by this
  private boolean aborted; // guarded by this

  /**
   * Runs the steps in order unless aborted, and says when the start is done; a start aborted before it
   * began never completes (Vert.x fails that deployment as it closes).
   */
  Future<Void> run(List<Supplier<Future<?>>> steps) {
    if (!enter()) {
      return Promise.<Void>promise().future();
    }
    Future<?> chain = Future.succeededFuture();
    for (Supplier<Future<?>> step : steps) {
      // the step runs outside the lock: a deployment during Vert.x's close waits for the close hooks
      chain = chain.compose(v -> enter() ? step.get() : Future.succeededFuture());
    }
    chain.onSuccess(v -> started.tryComplete()).onFailure(started::tryFail);
    return started.future();
  }

  /**
   * Ends the start early; completes once Vert.x has seen the start settle (one turn of
   * {@code context} later), at once if it has not begun.
   */
  synchronized Future<Void> abort(Context context) {
    aborted = true;
    if (stage == Stage.WAITING) {
      return Future.succeededFuture();
    }
    return started.future().transform(settled -> Future.future(turn -> context.runOnContext(v -> turn.complete())));
  }

  private synchronized boolean enter() {
    stage = Stage.RUNNING;
    return !aborted;
  }
}
