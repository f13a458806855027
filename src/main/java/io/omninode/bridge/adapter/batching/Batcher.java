package io.omninode.bridge.adapter.batching;

import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/**
 * When queued items become a batch, and how many batches are written at once:
 * <ul>
 *   <li>without a linger, what arrived during one turn of the event loop is written on the next;</li>
 *   <li>with a linger, a batch smaller than {@code maxBatchSize} waits up to {@code lingerMs} for more,
 *       and a full batch cancels the wait;</li>
 *   <li>never more than {@code maxBatchSize} items in a batch, nor items weighing more than
 *       {@code maxBatchBytes} together (but for one item alone, which always makes a batch), nor more
 *       than {@code maxInFlight} batches being written: at the cap nothing flushes until a write
 *       finishes;</li>
 *   <li>{@link #drain()} writes everything queued without lingering and completes once nothing is
 *       queued or being written.</li>
 * </ul>
 * Confined to one thread (the owning verticle's event loop); time comes from the {@link Scheduler}.
 */
public final class Batcher<T> {

  /** How the batcher waits: on a Vert.x context in production, by hand in tests. */
  public interface Scheduler {
    void runSoon(Runnable task);

    long setTimer(long delayMs, Runnable task);

    void cancelTimer(long id);
  }

  private final int maxBatchSize;
  private final long maxBatchBytes;
  private final ToLongFunction<T> weight;
  private final int maxInFlight;
  private final long lingerMs;
  private final Scheduler scheduler;
  private final Function<List<T>, Future<?>> writer;
  private final ArrayDeque<T> queue = new ArrayDeque<>();
  private long queuedBytes;
  private int inFlight;
  private boolean flushScheduled;
  private long lingerTimer = -1;
  private Promise<Void> drained;

  /** {@code weight}: an item's bytes, of which a batch holds at most {@code maxBatchBytes}. */
  public Batcher(int maxBatchSize, long maxBatchBytes, ToLongFunction<T> weight, int maxInFlight, long lingerMs,
      Scheduler scheduler, Function<List<T>, Future<?>> writer) {
    this.maxBatchSize = maxBatchSize;
    this.maxBatchBytes = maxBatchBytes;
    this.weight = weight;
    this.maxInFlight = maxInFlight;
    this.lingerMs = lingerMs;
    this.scheduler = scheduler;
    this.writer = writer;
  }

  public void add(T item) {
    queue.add(item);
    queuedBytes += weight.applyAsLong(item);
    scheduleFlush();
  }

  /** Stops lingering, writes what is queued, and completes when nothing is queued or in flight. */
  public Future<Void> drain() {
    if (drained == null) {
      drained = Promise.promise();
      cancelLinger();
      scheduleFlush();
      completeIfDrained();
    }
    return drained.future();
  }

  public int queued() {
    return queue.size();
  }

  public int inFlight() {
    return inFlight;
  }

  private void scheduleFlush() {
    if (queue.isEmpty() || inFlight >= maxInFlight) {
      return;
    }
    boolean full = queue.size() >= maxBatchSize || queuedBytes >= maxBatchBytes;
    if (full) {
      cancelLinger();
    }
    if (flushScheduled || lingerTimer >= 0) {
      return;
    }
    if (lingerMs > 0 && !full && drained == null) {
      lingerTimer = scheduler.setTimer(lingerMs, () -> {
        lingerTimer = -1;
        flush();
      });
    } else {
      flushScheduled = true;
      scheduler.runSoon(this::flush);
    }
  }

  private void flush() {
    flushScheduled = false;
    while (!queue.isEmpty() && inFlight < maxInFlight) {
      List<T> batch = new ArrayList<>(Math.min(queue.size(), maxBatchSize));
      long bytes = 0;
      while (!queue.isEmpty() && batch.size() < maxBatchSize
          && (batch.isEmpty() || bytes + weight.applyAsLong(queue.peek()) <= maxBatchBytes)) {
        T item = queue.poll();
        bytes += weight.applyAsLong(item);
        batch.add(item);
      }
      queuedBytes -= bytes;
      inFlight++;
      writer.apply(batch).onComplete(done -> {
        inFlight--;
        scheduleFlush();
        completeIfDrained();
      });
    }
  }

  private void cancelLinger() {
    if (lingerTimer >= 0) {
      scheduler.cancelTimer(lingerTimer);
      lingerTimer = -1;
    }
  }

  private void completeIfDrained() {
    if (drained != null && queue.isEmpty() && inFlight == 0) {
      drained.tryComplete();
    }
  }
}
