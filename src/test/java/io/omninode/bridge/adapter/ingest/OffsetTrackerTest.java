package io.omninode.bridge.adapter.ingest;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class OffsetTrackerTest {

  private static final TopicPartition P0 = new TopicPartition("t", 0);
  private static final TopicPartition P1 = new TopicPartition("t", 1);

  private final OffsetTracker tracker = new OffsetTracker();

  @Test
  @DisplayName("offset N+1 finishing before N commits nothing past N")
  void outOfOrderCompletionCommitsOnlyContiguousOffsets() {
    OffsetTracker.Ticket ten = tracker.begin(P0, 10);
    OffsetTracker.Ticket eleven = tracker.begin(P0, 11);
    OffsetTracker.Ticket twelve = tracker.begin(P0, 12);

    tracker.complete(eleven);
    tracker.complete(twelve);
    assertThat(tracker.committable(P0)).isEqualTo(-1);

    tracker.complete(ten);
    assertThat(tracker.committable(P0)).isEqualTo(13);
  }

  @Test
  @DisplayName("gaps in offsets (compaction, transaction markers) do not hold a partition")
  void gapsInOffsetsDoNotHoldThePartition() {
    OffsetTracker.Ticket five = tracker.begin(P0, 5);
    OffsetTracker.Ticket nine = tracker.begin(P0, 9);

    tracker.complete(five);
    tracker.complete(nine);

    assertThat(tracker.committable(P0)).isEqualTo(10);
  }

  @Test
  void partitionsAreTrackedIndependently() {
    OffsetTracker.Ticket a = tracker.begin(P0, 0);
    tracker.begin(P1, 0);

    tracker.complete(a);

    assertThat(tracker.uncommitted()).isEqualTo(Map.of(P0, 1L));
  }

  @Test
  @DisplayName("an abandoned event holds its partition's committable offset below it")
  void abandonedEventIsNeverCommittedPast() {
    OffsetTracker.Ticket first = tracker.begin(P0, 0);
    OffsetTracker.Ticket second = tracker.begin(P0, 1);
    OffsetTracker.Ticket third = tracker.begin(P0, 2);

    tracker.complete(first);
    tracker.abandon(second);
    tracker.complete(third);

    assertThat(tracker.committable(P0)).isEqualTo(1);
    assertThat(tracker.unfinished(P0)).isZero();
  }

  @Test
  void committedOffsetsAreNotCommittedAgain() {
    tracker.complete(tracker.begin(P0, 0));
    tracker.markCommitted(tracker.uncommitted());

    assertThat(tracker.uncommitted()).isEmpty();

    tracker.complete(tracker.begin(P0, 1));
    assertThat(tracker.uncommitted()).isEqualTo(Map.of(P0, 2L));
  }

  @Test
  @DisplayName("after a partition is revoked, late completions of its old events change nothing")
  void lateCompletionAfterRevocationIsIgnored() {
    OffsetTracker.Ticket old = tracker.begin(P0, 7);
    tracker.forget(List.of(P0));

    tracker.complete(old);

    assertThat(tracker.isCurrent(old)).isFalse();
    assertThat(tracker.committable(P0)).isEqualTo(-1);
  }

  @Test
  @DisplayName("a partition rewound to an earlier offset starts over, its old events stale")
  void rewoundPartitionStartsOver() {
    OffsetTracker.Ticket old = tracker.begin(P0, 20);
    OffsetTracker.Ticket replayed = tracker.begin(P0, 15);

    tracker.complete(old);
    assertThat(tracker.committable(P0)).isEqualTo(-1);

    tracker.complete(replayed);
    assertThat(tracker.committable(P0)).isEqualTo(16);
  }
}
