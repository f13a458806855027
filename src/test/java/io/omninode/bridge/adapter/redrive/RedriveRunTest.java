package io.omninode.bridge.adapter.redrive;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.omninode.bridge.adapter.contract.ErrorType;
import io.omninode.bridge.adapter.deadletter.RedriveHeaders;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.MockProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.LongStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The run on Kafka's MockConsumer and MockProducer: what it sends, in which transactions, and what it counts. */
@DisplayName("A redrive puts back each selected dead letter once, and says honestly what it did")
class RedriveRunTest {

  private static final String LOG = "dev.omninode-bridge.redrive.log";
  private static final String OTHER_TOPIC = "dev.omninode-bridge.orchestrator.workflow-started.v1";
  /** The dead-letter topic as the broker describes it: its id, one partition, its topic with three. */
  private static final RedriveSource SOURCE = new RedriveSource(Letters.DLQ, "MiR4Ngx0SDeQ3iYlkD_q4g", 1, Letters.TOPIC, 3);
  private static final Clock CLOCK = Clock.fixed(Letters.FAILED_AT.plusSeconds(3_600), ZoneOffset.UTC);

  private final MockProducer<byte[], byte[]> producer = newProducer();
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

  @BeforeEach
  void captureReportLog() {
    logged.start();
    ((Logger) LoggerFactory.getLogger(RedriveReport.class)).addAppender(logged);
  }

  @AfterEach
  void releaseReportLog() {
    ((Logger) LoggerFactory.getLogger(RedriveReport.class)).detachAppender(logged);
  }

  private static List<ConsumerRecord<byte[], byte[]>> letters(int count, ErrorType type) {
    return LongStream.range(0, count).mapToObj(offset -> Letters.deadLetter(offset, type)).toList();
  }

  private static RedriveOptions options(String... args) {
    return RedriveOptions.parse(List.of(args));
  }

  private RedriveReport run(RedriveOptions options, TopicsConsumer consumer, MockProducer<byte[], byte[]> producer) {
    return run(SOURCE, options, consumer, producer);
  }

  private static RedriveReport run(RedriveSource source, RedriveOptions options, TopicsConsumer consumer,
      MockProducer<byte[], byte[]> producer) {
    RedriveReport report = new RedriveReport(options.dryRun(), List.of(source.topic()));
    redriveRun(source, options, consumer, producer, report).run();
    return report;
  }

  private static RedriveRun redriveRun(RedriveSource source, RedriveOptions options, TopicsConsumer consumer,
      MockProducer<byte[], byte[]> producer, RedriveReport report) {
    return new RedriveRun(options, new RedriveLedger(LOG), Map.of(source.topic(), source), consumer, producer, report,
        CLOCK);
  }

  private static MockProducer<byte[], byte[]> newProducer() {
    return new MockProducer<>(true, new ByteArraySerializer(), new ByteArraySerializer());
  }

  private static String key(long offset) {
    return Letters.DLQ + "/" + SOURCE.topicId() + "/0/" + offset;
  }

  private static List<ProducerRecord<byte[], byte[]>> sentTo(MockProducer<byte[], byte[]> producer, String topic) {
    return producer.history().stream().filter(record -> record.topic().equals(topic)).toList();
  }

  private static List<String> keys(List<ProducerRecord<byte[], byte[]>> markers) {
    return markers.stream().map(record -> new String(record.key(), StandardCharsets.UTF_8)).toList();
  }

  /** The marker an earlier version wrote for {@code letter}: keyed by its coordinates alone. */
  private static ProducerRecord<byte[], byte[]> legacyMarker(ConsumerRecord<byte[], byte[]> letter, Instant redrivenAt) {
    StoredLetter stored = StoredLetter.parse(letter);
    JsonObject value = new JsonObject().put("redriven_at", redrivenAt.toString())
        .put("original_topic", stored.originalTopic()).put("event_id", stored.eventId())
        .put("error_type", stored.errorType()).put("retry_count", stored.nextRetryCount());
    return new ProducerRecord<>(LOG, Letters.utf8(Letters.DLQ + "/0/" + letter.offset()), Letters.utf8(value.encode()));
  }

  private List<String> warnings() {
    return logged.list.stream().filter(event -> event.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage).toList();
  }

  private static List<String> dlqOffsets(List<ProducerRecord<byte[], byte[]>> republished) {
    return republished.stream().map(record -> new String(record.headers().lastHeader(RedriveHeaders.DLQ_OFFSET).value(),
        StandardCharsets.UTF_8)).toList();
  }

  /** The redrive log as a later run reads it: the markers a producer committed. */
  private static List<ConsumerRecord<byte[], byte[]>> logOf(MockProducer<byte[], byte[]> producer) {
    return logOf(sentTo(producer, LOG));
  }

  private static List<ConsumerRecord<byte[], byte[]>> logOf(List<ProducerRecord<byte[], byte[]>> markers) {
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
        .containsExactly(key(0), key(1), key(2), key(4));
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
    log.add(new ConsumerRecord<>(LOG, 0, 2L, key(0).getBytes(StandardCharsets.UTF_8), null));
    MockProducer<byte[], byte[]> second = newProducer();

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
    RedriveRun first = redriveRun(SOURCE, options("--batch", "3"), consumer, producer, report);
    consumer.scheduleNopPollTask();
    consumer.schedulePollTask(first::stop); // the second poll: 4 records read, 3 committed, 1 open

    first.run();
    MockProducer<byte[], byte[]> second = newProducer();
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
    RedriveRun run = redriveRun(SOURCE, options("--batch", "2"), consumer, producer, report);
    consumer.scheduleNopPollTask();
    consumer.schedulePollTask(() -> producer.commitTransactionException = new ProducerFencedException("fenced"));

    assertThatThrownBy(run::run).isInstanceOf(ProducerFencedException.class);
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
        StoredLetter.parse(Letters.deadLetter(0, ErrorType.VALIDATION_ERROR)).republished(Letters.TOPIC, CLOCK.instant())
            .headers(),
        java.util.Optional.empty());
    List<ConsumerRecord<byte[], byte[]>> letters = List.of(Letters.deadLetter(0, ErrorType.VALIDATION_ERROR),
        Letters.deadLetter(redriven, 1L, ErrorType.VALIDATION_ERROR, "e", 1, Letters.FAILED_AT));

    RedriveReport report = run(options(), new TopicsConsumer().add(letters), producer);

    assertThat(report.counts()).containsEntry("selected", 2L).containsEntry("failed_again", 1L)
        .containsEntry("redriven", 2L);
    assertThat(sentTo(producer, Letters.TOPIC).get(1).headers().lastHeader(RedriveHeaders.RETRY_COUNT).value())
        .isEqualTo("2".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  @DisplayName("a letter naming a topic other than its dead-letter topic's is skipped with a warning; the others go back")
  void letterNamingAnotherTopicIsSkipped() {
    List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>(letters(3, ErrorType.VALIDATION_ERROR));
    letters.set(1, Letters.rewritten(letters.get(1), value -> value.put("original_topic", OTHER_TOPIC)));

    RedriveReport report = run(options(), new TopicsConsumer().add(letters), producer);

    assertThat(sentTo(producer, OTHER_TOPIC)).isEmpty();
    assertThat(dlqOffsets(sentTo(producer, Letters.TOPIC))).containsExactly("0", "2");
    assertThat(keys(sentTo(producer, LOG))).containsExactly(key(0), key(2));
    assertThat(report.counts()).containsEntry("outcome", "done").containsEntry("selected", 3L)
        .containsEntry("redriven", 2L).containsEntry("skipped", 0L).containsEntry("skipped_other_topic", 1L)
        .containsEntry("skipped_missing_partition", 0L).containsEntry("skipped_missing_topic", 0L);
    assertThat(warnings()).singleElement().asString().contains(Letters.DLQ + "/0/1", "names a topic other than");
    assertThat(report.table()).contains("not redriven: each names a topic other than");
  }

  @Test
  @DisplayName("a letter naming a partition its topic does not have (or -1, or 1.5) is skipped; the rest go back")
  void letterNamingAMissingPartitionIsSkipped() {
    List<ConsumerRecord<byte[], byte[]>> letters = new ArrayList<>(letters(6, ErrorType.VALIDATION_ERROR));
    letters.set(1, Letters.rewritten(letters.get(1), value -> value.put("original_partition", SOURCE.targetPartitions())));
    letters.set(2, Letters.rewritten(letters.get(2), value -> value.put("original_partition", -1)));
    letters.set(3, Letters.rewritten(letters.get(3), value -> value.put("original_partition", 1.5)));

    RedriveReport report = run(options("--batch", "2"), new TopicsConsumer().add(letters), producer);

    assertThat(dlqOffsets(sentTo(producer, Letters.TOPIC))).containsExactly("0", "4", "5");
    assertThat(sentTo(producer, Letters.TOPIC)).extracting(ProducerRecord::partition).containsOnly(1);
    assertThat(report.counts()).containsEntry("outcome", "done").containsEntry("redriven", 3L)
        .containsEntry("skipped_missing_partition", 3L).containsEntry("skipped_other_topic", 0L);
    assertThat(warnings()).hasSize(3).allSatisfy(warning -> assertThat(warning).contains("names a partition"))
        .anySatisfy(warning -> assertThat(warning).contains(Letters.DLQ + "/0/1"))
        .anySatisfy(warning -> assertThat(warning).contains(Letters.DLQ + "/0/2"))
        .anySatisfy(warning -> assertThat(warning).contains(Letters.DLQ + "/0/3"));
  }

  @Test
  @DisplayName("the letters of a topic that does not exist (any more) are skipped, and the run is done")
  void lettersOfAMissingTopicAreSkipped() {
    RedriveSource withoutTopic = new RedriveSource(Letters.DLQ, SOURCE.topicId(), 1, Letters.TOPIC, 0);

    RedriveReport report = run(withoutTopic, options(), new TopicsConsumer().add(letters(2, ErrorType.DATA_ERROR)),
        producer);

    assertThat(producer.history()).isEmpty();
    assertThat(report.counts()).containsEntry("outcome", "done").containsEntry("redriven", 0L)
        .containsEntry("skipped_missing_topic", 2L);
    assertThat(warnings()).hasSize(2).allSatisfy(warning -> assertThat(warning).contains("does not exist"));
  }

  @Test
  @DisplayName("a marker an earlier version wrote, keyed without the topic id, still means done for its letter, and only for it")
  void legacyMarkerStillCounts() {
    List<ConsumerRecord<byte[], byte[]>> letters = letters(3, ErrorType.VALIDATION_ERROR);
    Instant redrivenAt = Letters.FAILED_AT.plus(Duration.ofMinutes(30));
    ConsumerRecord<byte[], byte[]> anotherEventAtOffset2 = Letters.deadLetter(2, ErrorType.VALIDATION_ERROR);
    List<ConsumerRecord<byte[], byte[]>> log = logOf(List.of(legacyMarker(letters.get(0), redrivenAt),
        legacyMarker(letters.get(1), redrivenAt), legacyMarker(anotherEventAtOffset2, redrivenAt)));

    RedriveReport report = run(options(), new TopicsConsumer().add(letters).add(log), producer);

    assertThat(dlqOffsets(sentTo(producer, Letters.TOPIC))).containsExactly("2");
    assertThat(keys(sentTo(producer, LOG))).containsExactly(key(2));
    assertThat(report.counts()).containsEntry("redriven", 1L).containsEntry("skipped", 2L);
  }

  @Test
  @DisplayName("a dead-letter topic deleted and created again: its new letters go back although markers exist at their offsets")
  void recreatedTopicsLettersAreRedriven() {
    List<ConsumerRecord<byte[], byte[]>> before = letters(2, ErrorType.VALIDATION_ERROR);
    RedriveSource old = new RedriveSource(Letters.DLQ, "e0TH2XvCQ7eAlXGmqyFIFw", 1, Letters.TOPIC, 3);
    run(old, options(), new TopicsConsumer().add(before), producer);
    Instant recreatedAt = Letters.FAILED_AT.plus(Duration.ofDays(1));
    List<ConsumerRecord<byte[], byte[]>> after = before.stream().map(letter -> { // the same events, failed again
      String eventId = StoredLetter.parse(letter).eventId();
      return Letters.deadLetter(Letters.original(Letters.TOPIC, 1, 100 + letter.offset(), Letters.envelope(eventId),
          new RecordHeaders()), letter.offset(), ErrorType.VALIDATION_ERROR, eventId, 0, recreatedAt);
    }).toList();
    List<ProducerRecord<byte[], byte[]>> markers = Stream.concat(
        before.stream().map(letter -> legacyMarker(letter, CLOCK.instant())), sentTo(producer, LOG).stream()).toList();
    MockProducer<byte[], byte[]> second = newProducer();

    RedriveReport report = run(options(), new TopicsConsumer().add(after).add(logOf(markers)), second);
    MockProducer<byte[], byte[]> third = newProducer();
    RedriveReport again = run(options(), new TopicsConsumer().add(after).add(logOf(Stream.concat(markers.stream(),
        sentTo(second, LOG).stream()).toList())), third);

    assertThat(keys(markers)).contains(Letters.DLQ + "/0/0", Letters.DLQ + "/" + old.topicId() + "/0/0");
    assertThat(report.counts()).containsEntry("redriven", 2L).containsEntry("skipped", 0L);
    assertThat(dlqOffsets(sentTo(second, Letters.TOPIC))).containsExactly("0", "1");
    assertThat(keys(sentTo(second, LOG))).containsExactly(key(0), key(1));
    assertThat(again.counts()).as("its own markers hold").containsEntry("redriven", 0L).containsEntry("skipped", 2L);
    assertThat(third.history()).isEmpty();
  }
}
