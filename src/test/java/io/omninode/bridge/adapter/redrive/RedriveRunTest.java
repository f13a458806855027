package io.omninode.bridge.adapter.redrive;

import io.omninode.bridge.adapter.contract.ErrorType;
import io.omninode.bridge.adapter.deadletter.RedriveHeaders;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The run on Kafka's MockConsumer and MockProducer: what it sends, in which transactions, and what it counts. */
@DisplayName("A redrive puts back each selected dead letter once, and says honestly what it did")
class RedriveRunTest {

  private static final String LOG = "dev.omninode-bridge.redrive.log";
  private static final List<TopicPartition> DLQ = List.of(new TopicPartition(Letters.DLQ, 0));
  private static final Clock CLOCK = Clock.fixed(Letters.FAILED_AT.plusSeconds(3_600), ZoneOffset.UTC);

  private final MockProducer<byte[], byte[]> producer =
      new MockProducer<>(true, new ByteArraySerializer(), new ByteArraySerializer());

  private static List<ConsumerRecord<byte[], byte[]>> letters(int count, ErrorType type) {
    return LongStream.range(0, count).mapToObj(offset -> Letters.deadLetter(offset, type)).toList();
  }

  private static RedriveOptions options(String... args) {
    return RedriveOptions.parse(List.of(args));
  }

  private RedriveReport run(RedriveOptions options, TopicsConsumer consumer, MockProducer<byte[], byte[]> producer) {
    RedriveReport report = new RedriveReport(options.dryRun(), List.of(Letters.DLQ));
    new RedriveRun(options, new RedriveLedger(LOG), consumer, producer, report, CLOCK).run(DLQ);
    return report;
  }

  private static List<ProducerRecord<byte[], byte[]>> sentTo(MockProducer<byte[], byte[]> producer, String topic) {
    return producer.history().stream().filter(record -> record.topic().equals(topic)).toList();
  }

  private static List<String> dlqOffsets(List<ProducerRecord<byte[], byte[]>> republished) {
    return republished.stream().map(record -> new String(record.headers().lastHeader(RedriveHeaders.DLQ_OFFSET).value(),
        StandardCharsets.UTF_8)).toList();
  }

  /** The redrive log as a later run reads it: the markers a producer committed. */
  private static List<ConsumerRecord<byte[], byte[]>> logOf(MockProducer<byte[], byte[]> producer) {
    List<ProducerRecord<byte[], byte[]>> markers = sentTo(producer, LOG);
    List<ConsumerRecord<byte[], byte[]>> log = new ArrayList<>();
    for (int offset = 0; offset < markers.size(); offset++) {
      log.add(new ConsumerRecord<>(LOG, 0, offset, markers.get(offset).key(), markers.get(offset).value()));
    }
    return log;
  }

  @Test
  @DisplayName("each selected letter and its marker in the same transaction, batch records a transaction")
  void redrivesTheSelectionInTransactions() {
    List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>(letters(3, ErrorType.VALIDATION_ERROR));
    letters.add(Letters.deadLetter(3, ErrorType.INVALID_JSON));
    letters.add(Letters.deadLetter(4, ErrorType.VALIDATION_ERROR));

    RedriveReport report = run(options("--error-type", "VALIDATION_ERROR", "--batch", "2"),
        new TopicsConsumer().add(letters), producer);

    assertThat(dlqOffsets(sentTo(producer, Letters.TOPIC))).containsExactly("0", "1", "2", "4");
    assertThat(sentTo(producer, LOG)).extracting(record -> new String(record.key(), StandardCharsets.UTF_8))
        .containsExactly(Letters.DLQ + "/0/0", Letters.DLQ + "/0/1", Letters.DLQ + "/0/2", Letters.DLQ + "/0/4");
    assertThat(producer.commitCount()).isEqualTo(2);
    assertThat(producer.transactionInFlight()).isFalse();
    assertThat(report.counts()).containsEntry("read", 5L).containsEntry("selected", 4L).containsEntry("redriven", 4L)
        .containsEntry("skipped", 0L).containsEntry("by_error_type", Map.of("VALIDATION_ERROR", 4L));
  }

  @Test
  @DisplayName("a letter the redrive log holds is skipped, whatever the earlier run selected; a tombstone frees it again")
  void redriveLogSurvivesAnyFilter() {
    List<ConsumerRecord<byte[], byte[]>> letters = letters(4, ErrorType.VALIDATION_ERROR);
    run(options("--limit", "2"), new TopicsConsumer().add(letters), producer);
    List<ConsumerRecord<byte[], byte[]>> log = new ArrayList<>(logOf(producer));
    log.add(new ConsumerRecord<>(LOG, 0, 2L, (Letters.DLQ + "/0/0").getBytes(StandardCharsets.UTF_8), null));
    MockProducer<byte[], byte[]> second = new MockProducer<>(true, new ByteArraySerializer(), new ByteArraySerializer());

    RedriveReport report = run(options(), new TopicsConsumer().add(letters).add(log), second);

    assertThat(dlqOffsets(sentTo(second, Letters.TOPIC))).containsExactly("0", "2", "3");
    assertThat(report.counts()).containsEntry("selected", 4L).containsEntry("redriven", 3L).containsEntry("skipped", 1L);
  }

  @Test
  @DisplayName("a stop aborts the open transaction; the next run redrives exactly what was not committed")
  void stopAbortsAndTheNextRunDoesTheRest() {
    List<ConsumerRecord<byte[], byte[]>> letters = letters(10, ErrorType.VALIDATION_ERROR);
    TopicsConsumer consumer = new TopicsConsumer().add(letters);
    consumer.setMaxPollRecords(4);
    RedriveReport report = new RedriveReport(false, List.of(Letters.DLQ));
    RedriveRun first = new RedriveRun(options("--batch", "3"), new RedriveLedger(LOG), consumer, producer, report, CLOCK);
    consumer.scheduleNopPollTask();
    consumer.schedulePollTask(first::stop); // the second poll: 4 records read, 3 committed, 1 open

    first.run(DLQ);
    MockProducer<byte[], byte[]> second = new MockProducer<>(true, new ByteArraySerializer(), new ByteArraySerializer());
    RedriveReport again = run(options("--batch", "3"), new TopicsConsumer().add(letters).add(logOf(producer)), second);

    assertThat(producer.transactionAborted()).isTrue();
    assertThat(report.counts()).containsEntry("outcome", "interrupted").containsEntry("redriven", 3L)
        .containsEntry("aborted", 1L);
    assertThat(dlqOffsets(sentTo(producer, Letters.TOPIC))).containsExactly("0", "1", "2");
    assertThat(dlqOffsets(sentTo(second, Letters.TOPIC))).containsExactly("3", "4", "5", "6", "7", "8", "9");
    assertThat(again.counts()).containsEntry("redriven", 7L).containsEntry("skipped", 3L);
  }

  @Test
  @DisplayName("a commit that fails (another redrive fenced this one) counts nothing of its transaction and is thrown")
  void failedCommitCountsNothing() {
    TopicsConsumer consumer = new TopicsConsumer().add(letters(5, ErrorType.VALIDATION_ERROR));
    consumer.setMaxPollRecords(2);
    RedriveReport report = new RedriveReport(false, List.of(Letters.DLQ));
    RedriveRun run = new RedriveRun(options("--batch", "2"), new RedriveLedger(LOG), consumer, producer, report, CLOCK);
    consumer.scheduleNopPollTask();
    consumer.schedulePollTask(() -> producer.commitTransactionException = new ProducerFencedException("fenced"));

    assertThatThrownBy(() -> run.run(DLQ)).isInstanceOf(ProducerFencedException.class);
    assertThat(report.counts()).containsEntry("redriven", 2L).containsEntry("aborted", 2L);
    assertThat(dlqOffsets(sentTo(producer, Letters.TOPIC))).containsExactly("0", "1");
  }

  @Test
  @DisplayName("a dry run counts what it would redrive and sends nothing")
  void dryRunOnlyCounts() {
    List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>(letters(3, ErrorType.VALIDATION_ERROR));
    letters.add(new ConsumerRecord<>(Letters.DLQ, 0, 3L, null, "not a letter".getBytes(StandardCharsets.UTF_8)));

    RedriveReport report = run(options("--dry-run"), new TopicsConsumer().add(letters), null);

    assertThat(report.counts()).containsEntry("dry_run", true).containsEntry("would_redrive", 3L)
        .containsEntry("redriven", 0L).containsEntry("unreadable", 1L);
    assertThat((List<?>) report.counts().get("sample")).hasSize(3);
  }

  @Test
  @DisplayName("a letter of an event that failed again after a redrive counts as failed again, and is redriven again")
  void failedAgainIsCounted() {
    ConsumerRecord<byte[], byte[]> redriven = new ConsumerRecord<>(Letters.TOPIC, 1, 99L, 0L,
        org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, 0, null, Letters.envelope("e"),
        StoredLetter.parse(Letters.deadLetter(0, ErrorType.VALIDATION_ERROR)).republished(CLOCK.instant()).headers(),
        java.util.Optional.empty());
    List<ConsumerRecord<byte[], byte[]>> letters = List.of(Letters.deadLetter(0, ErrorType.VALIDATION_ERROR),
        Letters.deadLetter(redriven, 1L, ErrorType.VALIDATION_ERROR, "e", 1, Letters.FAILED_AT));

    RedriveReport report = run(options(), new TopicsConsumer().add(letters), producer);

    assertThat(report.counts()).containsEntry("selected", 2L).containsEntry("failed_again", 1L)
        .containsEntry("redriven", 2L);
    assertThat(sentTo(producer, Letters.TOPIC).get(1).headers().lastHeader(RedriveHeaders.RETRY_COUNT).value())
        .isEqualTo("2".getBytes(StandardCharsets.UTF_8));
  }
}
