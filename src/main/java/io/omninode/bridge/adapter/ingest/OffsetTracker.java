package io.omninode.bridge.adapter.ingest;

import org.apache.kafka.common.TopicPartition;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-partition record of the offsets in flight, so that only contiguous completed offsets are
 * committed: offset N+1 is never committed before N is durable, whatever order they finish in.
 * Event-loop confined.
 */
final class OffsetTracker {

  /** One record in flight; finishing it twice, or after its partition moved, changes nothing. */
  static final class Ticket {
    final TopicPartition partition;
    final long offset;
    private final Log log;
    private boolean durable;
    private boolean finished;

    private Ticket(TopicPartition partition, long offset, Log log) {
      this.partition = partition;
      this.offset = offset;
      this.log = log;
    }

    boolean isFinished() {
      return finished;
    }
  }

  private static final class Log {
    final ArrayDeque<Ticket> pending = new ArrayDeque<>();
    int unfinished;
    long lastSeen = -1;
    long committable = -1;
    long committed = -1;
  }

  private final Map<TopicPartition, Log> logs = new HashMap<>();

  /** Starts tracking a record; a record at or below the last one seen means the partition was rewound. */
  Ticket begin(TopicPartition partition, long offset) {
    Log log = logs.get(partition);
    if (log == null || offset <= log.lastSeen) {
      log = new Log();
      logs.put(partition, log);
    }
    log.lastSeen = offset;
    Ticket ticket = new Ticket(partition, offset, log);
    log.pending.add(ticket);
    log.unfinished++;
    return ticket;
  }

  /** Marks the record durable in PostgreSQL (or recorded as rejected); the committable offset may move. */
  void complete(Ticket ticket) {
    if (finish(ticket)) {
      ticket.durable = true;
      Log log = ticket.log;
      while (!log.pending.isEmpty() && log.pending.peek().durable) {
        log.committable = log.pending.poll().offset + 1;
      }
    }
  }

  /**
   * Gives up on a record that is not durable (stopping, or its partition moved): the committable
   * offset of its partition never passes it; the record is consumed again after a restart or rewind.
   */
  void abandon(Ticket ticket) {
    finish(ticket);
  }

  private boolean finish(Ticket ticket) {
    if (ticket.finished) {
      return false;
    }
    ticket.finished = true;
    ticket.log.unfinished--;
    return true;
  }

  boolean isCurrent(Ticket ticket) {
    return logs.get(ticket.partition) == ticket.log;
  }

  /** The offset to commit (next to read) of a partition, or -1 when nothing is durable yet. */
  long committable(TopicPartition partition) {
    Log log = logs.get(partition);
    return log == null ? -1 : log.committable;
  }

  /** Records of the partition neither durable nor abandoned yet. */
  int unfinished(TopicPartition partition) {
    Log log = logs.get(partition);
    return log == null ? 0 : log.unfinished;
  }

  /** Committable offsets that have moved since they were last marked committed. */
  Map<TopicPartition, Long> uncommitted() {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    logs.forEach((partition, log) -> {
      if (log.committable > log.committed) {
        offsets.put(partition, log.committable);
      }
    });
    return offsets;
  }

  void markCommitted(Map<TopicPartition, Long> offsets) {
    offsets.forEach((partition, offset) -> {
      Log log = logs.get(partition);
      if (log != null && offset > log.committed) {
        log.committed = offset;
      }
    });
  }

  /** Forgets partitions that moved to another consumer; their tickets in flight become stale. */
  void forget(Collection<TopicPartition> partitions) {
    partitions.forEach(logs::remove);
  }
}
