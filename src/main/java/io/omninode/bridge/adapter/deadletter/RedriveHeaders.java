package io.omninode.bridge.adapter.deadletter;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The headers a redriven record carries back to its original topic ({@code redrive} command): which
 * dead letter it came from, when, and how many times the event has now been tried. A record that
 * fails again is dead-lettered with that count, so that {@code retry_count} grows with each redrive.
 */
public final class RedriveHeaders {

  public static final String DLQ_TOPIC = "redrive.dlq.topic";
  public static final String DLQ_PARTITION = "redrive.dlq.partition";
  public static final String DLQ_OFFSET = "redrive.dlq.offset";
  public static final String AT = "redrive.at";
  public static final String RETRY_COUNT = "redrive.retry_count";

  /** Replaced, not repeated, when a record is redriven again. */
  public static final List<String> ALL = List.of(DLQ_TOPIC, DLQ_PARTITION, DLQ_OFFSET, AT, RETRY_COUNT);

  private RedriveHeaders() {
  }

  /**
   * The retry count a redriven record brings along; 0 for a record never redriven. A header that is
   * not a count (written by someone else) counts as none rather than failing the event.
   */
  public static int retryCount(ConsumerRecord<?, ?> record) {
    Header header = record.headers().lastHeader(RETRY_COUNT);
    if (header == null || header.value() == null) {
      return 0;
    }
    try {
      return Math.max(0, Integer.parseInt(new String(header.value(), StandardCharsets.UTF_8).trim()));
    } catch (NumberFormatException notACount) {
      return 0;
    }
  }

  /** Whether the record was put back by a redrive: a dead letter carrying it failed again after one. */
  public static boolean wasRedriven(ConsumerRecord<?, ?> record) {
    return record.headers().lastHeader(RETRY_COUNT) != null;
  }
}
