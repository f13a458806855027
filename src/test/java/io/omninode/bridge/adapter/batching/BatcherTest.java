package io.omninode.bridge.adapter.batching;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.TreeMap;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("The batcher cuts batches by size, linger and statements in flight")
class BatcherTest {

  /** Time by hand: tasks for the next turn, and timers that fire when the test says so. */
  private static final class ManualScheduler implements Batcher.Scheduler {
    private final List<Runnable> nextTurn = new ArrayList<>();
    private final TreeMap<Long, Runnable> timers = new TreeMap<>();
    private long nextId;

    @Override
    public void runSoon(Runnable task) {
      nextTurn.add(task);
    }

    @Override
    public long setTimer(long delayMs, Runnable task) {
      timers.put(nextId, task);
      return nextId++;
    }

    @Override
    public void cancelTimer(long id) {
      timers.remove(id);
    }

    void turn() {
      List<Runnable> due = new ArrayList<>(nextTurn);
      nextTurn.clear();
      due.forEach(Runnable::run);
    }

    void fireTimers() {
      List<Runnable> due = new ArrayList<>(timers.values());
      timers.clear();
      due.forEach(Runnable::run);
    }
  }

  private final ManualScheduler scheduler = new ManualScheduler();
  private final List<List<Integer>> written = new ArrayList<>();
  private final List<Promise<Void>> writes = new ArrayList<>();

  private Batcher<Integer> batcher(int maxBatchSize, int maxInFlight, long lingerMs) {
    return batcher(maxBatchSize, Long.MAX_VALUE, maxInFlight, lingerMs);
  }

  /** Each item weighs its own value in bytes. */
  private Batcher<Integer> batcher(int maxBatchSize, long maxBatchBytes, int maxInFlight, long lingerMs) {
    return new Batcher<>(maxBatchSize, maxBatchBytes, Integer::longValue, maxInFlight, lingerMs, scheduler, batch -> {
      written.add(List.copyOf(batch));
      Promise<Void> write = Promise.promise();
      writes.add(write);
      return write.future();
    });
  }

  private static void addAll(Batcher<Integer> batcher, int from, int to) {
    IntStream.range(from, to).forEach(batcher::add);
  }

  @Test
  @DisplayName("without a linger, what arrives in one turn is written as one batch on the next")
  void oneTurnBecomesOneBatch() {
    Batcher<Integer> batcher = batcher(10, 2, 0);
    addAll(batcher, 0, 3);

    assertThat(written).isEmpty();
    scheduler.turn();
    assertThat(written).containsExactly(List.of(0, 1, 2));
  }

  @Test
  @DisplayName("no batch is larger than max_batch_size")
  void batchesNeverExceedTheMaximum() {
    Batcher<Integer> batcher = batcher(2, 5, 0);
    addAll(batcher, 0, 5);
    scheduler.turn();

    assertThat(written).containsExactly(List.of(0, 1), List.of(2, 3), List.of(4));
  }

  @Test
  @DisplayName("no batch weighs more than max_statement_bytes, but one item heavier than that goes alone")
  void batchesNeverExceedTheByteCap() {
    Batcher<Integer> batcher = batcher(100, 10, 10, 0);
    List.of(4, 5, 1, 30, 2, 8, 9).forEach(batcher::add);
    scheduler.turn();

    assertThat(written).containsExactly(List.of(4, 5, 1), List.of(30), List.of(2, 8), List.of(9));
  }

  @Test
  @DisplayName("items heavy enough for a batch together cancel the linger")
  void heavyItemsCancelTheLinger() {
    Batcher<Integer> batcher = batcher(100, 10, 2, 1_000);
    addAll(batcher, 4, 6);
    scheduler.turn();
    assertThat(written).isEmpty();

    batcher.add(6);
    scheduler.turn();
    assertThat(written).containsExactly(List.of(4, 5), List.of(6));
  }

  @Test
  @DisplayName("with a linger, a small batch waits for the linger to pass")
  void aSmallBatchWaitsForTheLinger() {
    Batcher<Integer> batcher = batcher(10, 2, 5);
    addAll(batcher, 0, 3);
    scheduler.turn();
    assertThat(written).isEmpty();

    scheduler.fireTimers();
    assertThat(written).containsExactly(List.of(0, 1, 2));
  }

  @Test
  @DisplayName("a full batch cancels the linger and is written on the next turn")
  void aFullBatchCancelsTheLinger() {
    Batcher<Integer> batcher = batcher(4, 2, 1_000);
    addAll(batcher, 0, 2);
    assertThat(scheduler.timers).hasSize(1);

    addAll(batcher, 2, 4);
    assertThat(scheduler.timers).as("the linger is cancelled").isEmpty();
    scheduler.turn();
    assertThat(written).containsExactly(List.of(0, 1, 2, 3));
  }

  @Test
  @DisplayName("at the in-flight cap nothing flushes; when a write finishes the next batch goes")
  void atTheInFlightCapNothingFlushes() {
    Batcher<Integer> batcher = batcher(2, 1, 0);
    addAll(batcher, 0, 2);
    scheduler.turn();
    addAll(batcher, 2, 5);
    scheduler.turn();
    assertThat(written).as("one batch in flight, the cap").hasSize(1);
    assertThat(batcher.queued()).isEqualTo(3);

    writes.get(0).complete();
    scheduler.turn();
    assertThat(written).containsExactly(List.of(0, 1), List.of(2, 3));
    assertThat(batcher.inFlight()).isEqualTo(1);
  }

  @Test
  @DisplayName("stop writes everything queued without lingering, and is done when the last write is")
  void stopAnswersEverythingQueued() {
    Batcher<Integer> batcher = batcher(2, 1, 1_000);
    addAll(batcher, 0, 3);

    Future<Void> drained = batcher.drain();
    assertThat(scheduler.timers).as("no lingering once stopping").isEmpty();
    scheduler.turn();
    assertThat(written).containsExactly(List.of(0, 1));
    writes.get(0).complete();
    scheduler.turn();
    assertThat(written).containsExactly(List.of(0, 1), List.of(2));
    assertThat(drained.isComplete()).as("a write is still in flight").isFalse();

    writes.get(1).complete();
    assertThat(drained.succeeded()).isTrue();
  }

  @Test
  @DisplayName("a failed write frees its slot like a successful one")
  void aFailedWriteFreesItsSlot() {
    Batcher<Integer> batcher = batcher(1, 1, 0);
    addAll(batcher, 0, 2);
    scheduler.turn();

    writes.get(0).fail("database away");
    scheduler.turn();
    assertThat(written).containsExactly(List.of(0), List.of(1));
  }

  @Test
  @DisplayName("stopping with nothing queued or in flight is done at once")
  void stopWhenIdleIsImmediate() {
    assertThat(batcher(10, 2, 5).drain().succeeded()).isTrue();
  }
}
