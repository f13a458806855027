package io.omninode.bridge.adapter.batching;

import io.vertx.core.Context;
import io.vertx.core.Vertx;

/** The {@link Batcher}'s time on a verticle's own context: its next turn and its timers. */
record ContextScheduler(Vertx vertx, Context context) implements Batcher.Scheduler {

  @Override
  public void runSoon(Runnable task) {
    context.runOnContext(v -> task.run());
  }

  @Override
  public long setTimer(long delayMs, Runnable task) {
    return vertx.setTimer(delayMs, id -> task.run());
  }

  @Override
  public void cancelTimer(long id) {
    vertx.cancelTimer(id);
  }
}
