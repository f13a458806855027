package io.omninode.bridge.adapter.ingest;

import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@DisplayName("Lag in seconds is the age of a partition's oldest record not yet durable, 0 when caught up")
class LagClockTest {

  private static final TopicPartition P0 = new TopicPartition("t", 0);
  private static final TopicPartition P1 = new TopicPartition("t", 1);
  private static final List<String> OWNED = List.of("t-0", "t-1");
  private static final long NOW_MS = 1_800_000_000_000L;

  private final PartitionLedger ledger = new PartitionLedger();
  private final LagClock clock = new LagClock();

  LagClockTest() {
    ledger.assigned(List.of(P0, P1), 1);
  }

  private Map<String, Long> sample(Map<String, Long> lagRecords, long nowMs) {
    return clock.sample(ledger.owned(), ledger.oldestUncommittable(), lagRecords, nowMs, System.nanoTime());
  }

  @Test
  @DisplayName("a partition with a record in flight is as far behind as that record's Kafka timestamp is old")
  void ageOfTheOldestPendingRecordFromItsTimestamp() {
    PartitionLedger.Ticket first = ledger.begin(P0, 10, 1, 1, NOW_MS - 7_000);
    ledger.begin(P0, 11, 1, 1, NOW_MS - 2_000);

    assertThat(sample(Map.of(), NOW_MS)).isEqualTo(Map.of("t-0", 7_000L, "t-1", 0L));

    ledger.settle(first, true);
    assertThat(sample(Map.of(), NOW_MS)).containsEntry("t-0", 2_000L);
  }

  @Test
  @DisplayName("a record given up keeps its partition behind; a durable one behind it does not hide it")
  void givenUpRecordKeepsThePartitionBehind() {
    PartitionLedger.Ticket held = ledger.begin(P0, 10, 1, 1, NOW_MS - 5_000);
    PartitionLedger.Ticket later = ledger.begin(P0, 11, 1, 1, NOW_MS - 1_000);
    ledger.settle(held, false);
    ledger.settle(later, true);

    assertThat(sample(Map.of(), NOW_MS + 10_000)).containsEntry("t-0", 15_000L);
  }

  @Test
  @DisplayName("records not fetched yet count from the first sample that saw them, until the partition catches up")
  void unfetchedRecordsCountFromWhenTheyWereFirstSeen() {
    assertThat(sample(Map.of("t-1", 40L), NOW_MS)).containsEntry("t-1", 0L);
    assertThat(sample(Map.of("t-1", 45L), NOW_MS + 3_000)).containsEntry("t-1", 3_000L);

    PartitionLedger.Ticket fetched = ledger.begin(P1, 0, 1, 1, NOW_MS - 500);
    assertThat(sample(Map.of("t-1", 44L), NOW_MS + 4_000)).as("in flight: its own timestamp").containsEntry("t-1", 4_500L);

    ledger.settle(fetched, true);
    assertThat(sample(Map.of("t-1", 44L), NOW_MS + 5_000)).as("behind again, counted afresh").containsEntry("t-1", 0L);
    assertThat(sample(Map.of("t-1", 0L), NOW_MS + 6_000)).containsEntry("t-1", 0L);
  }

  @Test
  @DisplayName("a record without a timestamp counts from when it was read; one from the future counts as 0")
  void noTimestampOrAFutureOneIsNeverNegative() {
    ledger.begin(P0, 0, 1, 1, -1);
    ledger.begin(P1, 0, 1, 1, NOW_MS + 60_000);

    Map<String, Long> ages = sample(Map.of(), NOW_MS);

    assertThat(ages.get("t-0")).isBetween(0L, 1_000L);
    assertThat(ages.get("t-1")).isZero();
  }

  @Test
  @DisplayName("a partition no longer ours has no value, and comes back counted afresh")
  void revokedPartitionDisappears() throws InterruptedException {
    sample(Map.of("t-1", 40L), NOW_MS);
    ledger.revoked(List.of(P1), 0);

    assertThat(sample(Map.of("t-1", 40L), NOW_MS + 1_000)).containsOnlyKeys("t-0");

    ledger.assigned(List.of(P1), 2);
    assertThat(sample(Map.of("t-1", 40L), NOW_MS + 2_000)).containsEntry("t-1", 0L);
  }

  @Test
  @DisplayName("the age since a record was read is what the stuck-partition gauge shows")
  void sinceReadCountsFromTheRead() {
    ledger.begin(P0, 0, 1, 1, NOW_MS - 60_000);

    Map<TopicPartition, Long> ages = LagClock.sinceRead(ledger.oldestUncommittable(), System.nanoTime());

    assertThat(ages).containsOnlyKeys(P0);
    assertThat(ages.get(P0)).isBetween(0L, 1_000L);
  }
}
