package io.omninode.bridge.adapter.redrive;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One redrive. Reads what the redrive log holds, then each dead-letter partition to its end as of the
 * start, and republishes what the selection takes, its source lets go back and the log does not
 * hold: each record with its marker, in transactions of at most {@code batch} records or one second.
 * {@link #stop()} (a signal) aborts the open transaction, as the broker does for a killed run once the
 * next run starts: either way the next run redrives exactly what was not committed.
 */
final class RedriveRun {

  private static final Logger log = LoggerFactory.getLogger(RedriveRun.class);
  /** While a transaction is open, a read-committed consumer of its partitions waits: keep them short. */
  private static final long MAX_TRANSACTION_MS = 1_000;
  private static final long PACING_SLICE_MS = 100;

  private final RedriveOptions options;
  private final RedriveLedger ledger;
  private final Map<String, RedriveSource> sources;
  private final Consumer<byte[], byte[]> consumer;
  /** Null on a dry run. */
  private final Producer<byte[], byte[]> producer;
  private final RedriveReport report;
  private final Clock clock;
  private final List<StoredLetter> pending = new ArrayList<>();
  private RedriveLedger.Markers done;
  private long transactionStartedMs;
  private long taken;
  private long pacingFromMs = -1;
  private volatile boolean stopping;

  RedriveRun(RedriveOptions options, RedriveLedger ledger, Map<String, RedriveSource> sources,
      Consumer<byte[], byte[]> consumer, Producer<byte[], byte[]> producer, RedriveReport report, Clock clock) {
    this.options = options;
    this.ledger = ledger;
    this.sources = sources;
    this.consumer = consumer;
    this.producer = producer;
    this.report = report;
    this.clock = clock;
  }

  /** Returns when done or stopped (the report says which); a Kafka failure is thrown, the open transaction aborted. */
  void run() {
    List<TopicPartition> deadLetters = sources.values().stream()
        .flatMap(source -> source.topicPartitions().stream()).toList();
    try {
      if (producer != null) {
        producer.initTransactions(); // fences an earlier run and aborts what it left open, before the log is read
      }
      done = ledger.readDone(consumer, report::tick);
      log.atInfo().addKeyValue("redrive_log_topic", ledger.topic()).addKeyValue("redriven_before", done.size())
          .log("Redrive log read");
      TopicScan.read(consumer, deadLetters, this::visit, this::afterPoll);
      if (stopping) {
        interrupted();
      } else {
        commitOpen();
      }
    } catch (WakeupException stopped) {
      interrupted();
    } catch (KafkaException failure) {
      abortOpen();
      throw failure;
    }
  }

  /** From another thread (a shutdown hook): the run ends soon, its open transaction aborted. */
  void stop() {
    stopping = true;
    consumer.wakeup();
  }

  private boolean visit(ConsumerRecord<byte[], byte[]> record) {
    if (stopping) {
      return false;
    }
    report.read();
    StoredLetter letter = StoredLetter.parse(record);
    if (letter == null) {
      report.unreadable();
      return true;
    }
    if (!options.selection().matches(letter)) {
      return true;
    }
    report.selected(letter);
    RedriveSource source = sources.get(record.topic());
    if (due(letter, source)) {
      redrive(letter, source);
    }
    return options.limit() == 0 || taken < options.limit();
  }

  /** Whether a selected letter goes back now; if not, the report says why. */
  private boolean due(StoredLetter letter, RedriveSource source) {
    RedriveSource.Refusal refusal = source.refusal(letter);
    if (refusal != null) {
      report.refused(letter, refusal, source.target());
      return false;
    }
    if (done.cover(letter, source.topicId())) {
      report.skipped();
      return false;
    }
    return true;
  }

  private void redrive(StoredLetter letter, RedriveSource source) {
    taken++;
    if (producer == null) {
      report.redriven(List.of(letter));
      return;
    }
    pace();
    if (pending.isEmpty()) {
      producer.beginTransaction();
      transactionStartedMs = clock.millis();
    }
    Instant now = clock.instant();
    producer.send(letter.republished(source.target(), now));
    producer.send(ledger.marker(letter, source.topicId(), now));
    pending.add(letter);
    if (pending.size() >= options.batch() || clock.millis() - transactionStartedMs >= MAX_TRANSACTION_MS) {
      commitOpen();
    }
  }

  private void afterPoll() {
    if (!pending.isEmpty() && clock.millis() - transactionStartedMs >= MAX_TRANSACTION_MS) {
      commitOpen();
    }
    report.tick();
  }

  /** Sends that failed fail the commit, which then throws: nothing of the transaction is counted. */
  private void commitOpen() {
    if (!pending.isEmpty()) {
      producer.commitTransaction();
      report.redriven(pending);
      pending.clear();
    }
  }

  private void interrupted() {
    abortOpen();
    report.interrupted();
  }

  private void abortOpen() {
    if (pending.isEmpty()) {
      return;
    }
    report.aborted(pending.size());
    pending.clear();
    try {
      producer.abortTransaction();
    } catch (KafkaException cannotAbort) {
      log.warn("Could not abort the open redrive transaction; the broker aborts it when it times out "
          + "or when the next redrive starts: {}", cannotAbort.toString());
    }
  }

  /**
   * With {@code --rate}: waits until this record is due, in slices so that a stop is not kept waiting;
   * first commits the open transaction if the wait would keep it open too long.
   */
  private void pace() {
    if (options.rate() <= 0) {
      return;
    }
    if (pacingFromMs < 0) {
      pacingFromMs = clock.millis();
    }
    long due = pacingFromMs + (long) ((taken - 1) * 1_000 / options.rate());
    if (!pending.isEmpty() && due - transactionStartedMs >= MAX_TRANSACTION_MS) {
      commitOpen();
    }
    for (long wait = due - clock.millis(); wait > 0 && !stopping; wait = due - clock.millis()) {
      try {
        Thread.sleep(Math.min(wait, PACING_SLICE_MS));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        stop();
      }
    }
  }
}
