package io.omninode.bridge.adapter.ingest;

import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The one home of offsets: which partitions are ours, which of their records are in flight, and
 * the offset below which every record is durable (in PostgreSQL or on the dead-letter topic), the
 * only offset ever committed. Offset N+1 is never committable before N is durable, whatever order
 * events finish in. Two threads share it:
 * <pre>
 *   Kafka poll thread (inside poll())                consumer verticle's event loop
 *   ─────────────────────────────────                ──────────────────────────────
 *   assigned(partitions, poll) ─► logs ◄──────────── begin(partition, offset, poll): a Ticket, or null
 *                                  │                  when the partition is not ours or the record was
 *                                  │                  fetched before it became ours again
 *   revoked(partitions, wait):     │                 settle(ticket, durable): complete or abandon
 *     stop admitting, wait until ◄─┴── notifyAll ──  committable(): offsets moved since the last commit
 *     their tickets are settled (or the wait ends),  committed(offsets)
 *     return their durable offsets, forget them
 *   lost(partitions): forget them
 * </pre>
 * Every method holds the ledger's monitor; the wait of {@link #revoked} releases it. A ticket of a
 * partition forgotten meanwhile is stale: settling it changes no offset.
 */
final class PartitionLedger {

  /** One record in flight; settling it twice, or after its partition moved, changes nothing. */
  static final class Ticket {
    final TopicPartition partition;
    final long offset;
    private final long bytes;
    final long begunAtNanos;
    /** The record's Kafka timestamp (ms since the epoch), negative when it has none. */
    final long timestampMs;
    private final Log log;
    private boolean durable;
    private boolean settled;

    private Ticket(TopicPartition partition, long offset, long bytes, long timestampMs, Log log) {
      this.partition = partition;
      this.offset = offset;
      this.bytes = bytes;
      this.begunAtNanos = System.nanoTime();
      this.timestampMs = timestampMs;
      this.log = log;
    }
  }

  /** One partition while it is ours. */
  private static final class Log {
    final long assignedInPoll;
    final ArrayDeque<Ticket> pending = new ArrayDeque<>();
    int unsettled;
    long lastSeen = -1;
    long committable = -1;
    long committed = -1;

    Log(long assignedInPoll) {
      this.assignedInPoll = assignedInPoll;
    }
  }

  private final Map<TopicPartition, Log> logs = new HashMap<>();
  private int inFlight;
  private long inFlightBytes;

  // ---- poll thread ----

  /** Partitions given to this consumer during poll number {@code poll}. */
  synchronized void assigned(Collection<TopicPartition> partitions, long poll) {
    partitions.forEach(partition -> logs.put(partition, new Log(poll)));
  }

  /**
   * Partitions about to move: from now on none of their records is admitted; waits up to
   * {@code waitMs} for their records in flight, then returns the offsets to commit before they go
   * (what is still in flight is left to the next owner, which reads it again from there).
   */
  synchronized Map<TopicPartition, OffsetAndMetadata> revoked(Collection<TopicPartition> partitions, long waitMs)
      throws InterruptedException {
    Map<TopicPartition, Log> leaving = new HashMap<>();
    partitions.forEach(partition -> {
      Log log = logs.remove(partition);
      if (log != null) {
        leaving.put(partition, log);
      }
    });
    long deadline = System.nanoTime() + waitMs * 1_000_000;
    long left;
    while (leaving.values().stream().anyMatch(log -> log.unsettled > 0) && (left = deadline - System.nanoTime()) > 0) {
      wait(Math.max(1, left / 1_000_000));
    }
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    leaving.forEach((partition, log) -> {
      if (log.committable > log.committed) {
        offsets.put(partition, new OffsetAndMetadata(log.committable));
      }
    });
    return offsets;
  }

  /** Partitions taken away without a chance to commit (the group moved on without us). */
  synchronized void lost(Collection<TopicPartition> partitions) {
    partitions.forEach(logs::remove);
  }

  // ---- event loop ----

  /**
   * Starts tracking a record ({@code bytes}, Kafka {@code timestampMs}) fetched by poll {@code poll};
   * null when it must not be processed: its partition is not ours, or it was fetched before the
   * partition became ours again (its new owner's fetch starts from the committed offset, reads it again).
   */
  synchronized Ticket begin(TopicPartition partition, long offset, long poll, long bytes, long timestampMs) {
    Log log = logs.get(partition);
    if (log == null || poll < log.assignedInPoll) {
      return null;
    }
    if (offset <= log.lastSeen) { // the partition was rewound: earlier tickets no longer count
      log = new Log(log.assignedInPoll);
      logs.put(partition, log);
    }
    log.lastSeen = offset;
    Ticket ticket = new Ticket(partition, offset, bytes, timestampMs, log);
    log.pending.add(ticket);
    log.unsettled++;
    inFlight++;
    inFlightBytes += bytes;
    return ticket;
  }

  /**
   * Marks a record durable (in PostgreSQL or on the dead-letter topic) or, when not, given up: a
   * given-up record holds its partition's committable offset below it; it is read again after a
   * restart or by the next owner. False if the ticket was already settled.
   */
  synchronized boolean settle(Ticket ticket, boolean durable) {
    if (ticket.settled) {
      return false;
    }
    ticket.settled = true;
    ticket.durable = durable;
    inFlight--;
    inFlightBytes -= ticket.bytes;
    Log log = ticket.log;
    log.unsettled--;
    while (!log.pending.isEmpty() && log.pending.peek().durable) {
      log.committable = log.pending.poll().offset + 1;
    }
    if (log.unsettled == 0) {
      notifyAll();
    }
    return true;
  }

  synchronized boolean isSettled(Ticket ticket) {
    return ticket.settled;
  }

  /** Whether the ticket's partition is still ours, in the same log (else its outcome no longer matters). */
  synchronized boolean isCurrent(Ticket ticket) {
    return logs.get(ticket.partition) == ticket.log;
  }

  /** Committable offsets that moved since they were last committed, of partitions still ours. */
  synchronized Map<TopicPartition, OffsetAndMetadata> committable() {
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    logs.forEach((partition, log) -> {
      if (log.committable > log.committed) {
        offsets.put(partition, new OffsetAndMetadata(log.committable));
      }
    });
    return offsets;
  }

  synchronized void committed(Map<TopicPartition, OffsetAndMetadata> offsets) {
    offsets.forEach((partition, offset) -> {
      Log log = logs.get(partition);
      if (log != null && offset.offset() > log.committed) {
        log.committed = offset.offset();
      }
    });
  }

  /** Records begun and not yet settled, stale ones included. */
  synchronized int inFlight() {
    return inFlight;
  }

  /** Their bytes (key and value). */
  synchronized long inFlightBytes() {
    return inFlightBytes;
  }

  /**
   * Per partition of ours that cannot commit past a record yet, the oldest such record: one in flight,
   * or one given up whose partition stays ours.
   */
  synchronized Map<TopicPartition, Ticket> oldestUncommittable() {
    Map<TopicPartition, Ticket> oldest = new HashMap<>();
    logs.forEach((partition, log) -> {
      if (!log.pending.isEmpty()) {
        oldest.put(partition, log.pending.peek());
      }
    });
    return oldest;
  }

  /** The partitions that are ours, as {@code topic-partition}, sorted. */
  synchronized List<String> owned() {
    return logs.keySet().stream().map(TopicPartition::toString).sorted().toList();
  }
}
