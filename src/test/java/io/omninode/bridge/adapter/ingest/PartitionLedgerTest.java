package io.omninode.bridge.adapter.ingest;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@DisplayName("The partition ledger commits only what is durable, contiguously, and hands revoked partitions over")
class PartitionLedgerTest {

  private static final TopicPartition P0 = new TopicPartition("t", 0);
  private static final TopicPartition P1 = new TopicPartition("t", 1);

  private final PartitionLedger ledger = new PartitionLedger();

  PartitionLedgerTest() {
    ledger.assigned(List.of(P0, P1), 1);
  }

  private PartitionLedger.Ticket begin(TopicPartition partition, long offset) {
    return ledger.begin(partition, offset, 1, 100, 0);
  }

  private static Map<TopicPartition, OffsetAndMetadata> offsets(TopicPartition partition, long offset) {
    return Map.of(partition, new OffsetAndMetadata(offset));
  }

  @Test
  @DisplayName("offset N+1 finishing before N commits nothing past N")
  void outOfOrderCompletionCommitsOnlyContiguousOffsets() {
    PartitionLedger.Ticket ten = begin(P0, 10);
    PartitionLedger.Ticket eleven = begin(P0, 11);
    PartitionLedger.Ticket twelve = begin(P0, 12);

    ledger.settle(eleven, true);
    ledger.settle(twelve, true);
    assertThat(ledger.committable()).isEmpty();

    ledger.settle(ten, true);
    assertThat(ledger.committable()).isEqualTo(offsets(P0, 13));
  }

  @Test
  @DisplayName("gaps in offsets (compaction, transaction markers) do not hold a partition")
  void gapsInOffsetsDoNotHoldThePartition() {
    PartitionLedger.Ticket five = begin(P0, 5);
    PartitionLedger.Ticket nine = begin(P0, 9);

    ledger.settle(five, true);
    ledger.settle(nine, true);

    assertThat(ledger.committable()).isEqualTo(offsets(P0, 10));
  }

  @Test
  void partitionsAreTrackedIndependently() {
    PartitionLedger.Ticket a = begin(P0, 0);
    begin(P1, 0);

    ledger.settle(a, true);

    assertThat(ledger.committable()).isEqualTo(offsets(P0, 1));
    assertThat(ledger.inFlight()).isEqualTo(1);
  }

  @Test
  @DisplayName("a record given up holds its partition's committable offset below it")
  void givenUpRecordIsNeverCommittedPast() {
    PartitionLedger.Ticket first = begin(P0, 0);
    PartitionLedger.Ticket second = begin(P0, 1);
    PartitionLedger.Ticket third = begin(P0, 2);

    ledger.settle(first, true);
    ledger.settle(second, false);
    ledger.settle(third, true);

    assertThat(ledger.committable()).isEqualTo(offsets(P0, 1));
    assertThat(ledger.inFlight()).isZero();
  }

  @Test
  @DisplayName("settling a ticket twice counts once")
  void settlingTwiceCountsOnce() {
    PartitionLedger.Ticket ticket = begin(P0, 0);
    begin(P0, 1);

    assertThat(ledger.settle(ticket, true)).isTrue();
    assertThat(ledger.settle(ticket, false)).isFalse();
    assertThat(ledger.inFlight()).isEqualTo(1);
  }

  @Test
  void committedOffsetsAreNotCommittedAgain() {
    ledger.settle(begin(P0, 0), true);
    ledger.committed(ledger.committable());

    assertThat(ledger.committable()).isEmpty();

    ledger.settle(begin(P0, 1), true);
    assertThat(ledger.committable()).isEqualTo(offsets(P0, 2));
  }

  @Test
  @DisplayName("records of a partition that is not ours are not admitted")
  void recordsOfPartitionsNotOursAreRefused() {
    assertThat(ledger.begin(new TopicPartition("t", 9), 0, 1, 100, 0)).isNull();
    assertThat(ledger.inFlight()).isZero();
  }

  @Test
  @DisplayName("a record fetched before its partition became ours again is refused; one fetched after is admitted")
  void recordsFetchedBeforeReassignmentAreRefused() throws Exception {
    ledger.revoked(List.of(P0), 0);
    ledger.assigned(List.of(P0), 5);

    assertThat(ledger.begin(P0, 40, 4, 100, 0)).as("fetched by poll 4, under the old assignment").isNull();
    assertThat(ledger.begin(P0, 30, 5, 100, 0)).as("fetched by poll 5, the one that assigned it").isNotNull();
  }

  @Test
  @DisplayName("after a partition is lost, late settlements of its old records change nothing")
  void lateSettlementAfterLossIsIgnored() {
    PartitionLedger.Ticket old = begin(P0, 7);
    ledger.lost(List.of(P0));

    ledger.settle(old, true);

    assertThat(ledger.isCurrent(old)).isFalse();
    assertThat(ledger.committable()).isEmpty();
    assertThat(ledger.owned()).containsExactly("t-1");
  }

  @Test
  @DisplayName("a partition rewound to an earlier offset starts over, its old records stale")
  void rewoundPartitionStartsOver() {
    PartitionLedger.Ticket old = begin(P0, 20);
    PartitionLedger.Ticket replayed = begin(P0, 15);

    ledger.settle(old, true);
    assertThat(ledger.committable()).isEmpty();

    ledger.settle(replayed, true);
    assertThat(ledger.committable()).isEqualTo(offsets(P0, 16));
  }

  @Test
  @DisplayName("revocation on the poll thread waits for the event loop to settle the records in flight, then returns their durable offset")
  void revocationWaitsForRecordsInFlightOnAnotherThread() throws Exception {
    PartitionLedger.Ticket first = begin(P0, 0);
    PartitionLedger.Ticket second = begin(P0, 1);
    AtomicReference<Thread> revoker = new AtomicReference<>();

    CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> pollThread = CompletableFuture.supplyAsync(() -> {
      revoker.set(Thread.currentThread());
      try {
        return ledger.revoked(List.of(P0), 10_000);
      } catch (InterruptedException e) {
        throw new IllegalStateException(e);
      }
    });
    await().atMost(Duration.ofSeconds(10)).until(() -> waitsInRevoked(revoker.get()));
    assertThat(pollThread).as("still waiting for the records in flight").isNotDone();
    assertThat(begin(P0, 2)).as("no new record of a partition being revoked").isNull();

    ledger.settle(first, true);
    assertThat(pollThread).as("one record still in flight").isNotDone();
    ledger.settle(second, true);

    assertThat(pollThread.get(5, TimeUnit.SECONDS)).isEqualTo(offsets(P0, 2));
    assertThat(ledger.owned()).containsExactly("t-1");
    assertThat(ledger.committable()).as("a revoked partition is no longer committed by the event loop").isEmpty();
  }

  @Test
  @DisplayName("revocation stops waiting after the wait and returns what is durable by then")
  void revocationGivesUpWaitingAfterTheWait() throws Exception {
    PartitionLedger.Ticket first = begin(P0, 0);
    begin(P0, 1);
    ledger.settle(first, true);

    long start = System.nanoTime();
    Map<TopicPartition, OffsetAndMetadata> offsets = ledger.revoked(List.of(P0), 200);

    assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(200);
    assertThat(offsets).isEqualTo(offsets(P0, 1));
  }

  /** The poll thread is parked inside {@link PartitionLedger#revoked}, waiting for the records in flight. */
  private static boolean waitsInRevoked(Thread thread) {
    return thread != null && (thread.getState() == Thread.State.WAITING || thread.getState() == Thread.State.TIMED_WAITING)
        && Arrays.stream(thread.getStackTrace()).anyMatch(frame -> frame.getMethodName().equals("revoked")
            && frame.getClassName().equals(PartitionLedger.class.getName()));
  }
}
