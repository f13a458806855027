package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.contract.EventType;
import io.omninode.bridge.adapter.deadletter.RedriveHeaders;
import io.omninode.bridge.adapter.testsupport.AdapterProcess;
import io.omninode.bridge.adapter.testsupport.TestEvents;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.omninode.bridge.adapter.testsupport.TestEvents.T0;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The redrive command on the real broker and database, with the adapter consuming what it puts back. */
@DisplayName("Redrive: dead letters go back through the consumer, each exactly once")
class RedriveIT {

  private static final Logger log = LoggerFactory.getLogger(RedriveIT.class);
  private static final String READ_COMMITTED = "read_committed";

  private AdapterFixture adapter;

  @AfterEach
  void close() throws Exception {
    adapter.close();
  }

  /** Steps whose step_data is larger than 256 bytes, and whose message is larger than 1 KiB. */
  private static List<TestEvents.Event> bulkySteps(int count) {
    List<TestEvents.Event> steps = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      TestEvents.Event step = TestEvents.stepCompleted(UUID.randomUUID(), "step-" + i, 1, T0.plusSeconds(i));
      step.envelope().getJsonObject("payload").getJsonObject("workflow_step_data")
          .put("step_data", new JsonObject().put("blob", "x".repeat(1_200)));
      steps.add(step);
    }
    return steps;
  }

  /** A limit the bulky steps break, found by their operation (the decoder's is max_message_bytes). */
  private static JsonObject smallJsonLimit() {
    return new JsonObject().put("max_json_bytes", 256);
  }

  private String stepTopic() {
    return TestEvents.topic(adapter.topicPrefix, EventType.STEP_COMPLETED);
  }

  /** A new adapter with {@code validation} limits and {@code count} bulky steps, once all are dead letters. */
  private List<TestEvents.Event> deadLettered(String name, int count, JsonObject validation) throws Exception {
    adapter = new AdapterFixture(name);
    List<TestEvents.Event> events = bulkySteps(count);
    adapter.config.put("validation", validation);
    adapter.start();
    adapter.topics.awaitDeadLetterTopics();
    adapter.topics.produce(events);
    await().atMost(Duration.ofMinutes(2)).until(() -> adapter.topics.deadLetters().size() >= events.size());
    assertThat(adapter.topics.deadLetters()).hasSize(events.size());
    assertThat(adapter.db.count("workflow_steps")).isZero();
    return events;
  }

  @Test
  @DisplayName("dead letters of a limit, redriven once it is raised: every row once; a dry run and a second run change nothing")
  void redriveAfterRaisingTheLimitWritesEveryRowOnce() throws Exception {
    List<TestEvents.Event> events = deadLettered("redrive", 40, smallJsonLimit());
    adapter.stop();

    Redrives.Run dryRun = Redrives.run(adapter, "redrive-dry", "--dry-run");
    Redrives.assertDone(dryRun);
    assertThat(dryRun.summary().getBoolean("dry_run")).isTrue();
    assertThat(dryRun.count("selected")).isEqualTo(40);
    assertThat(dryRun.count("would_redrive")).isEqualTo(40);
    assertThat(dryRun.count("redriven")).isZero();
    assertThat(dryRun.summary().getJsonObject("by_error_type").getMap()).isEqualTo(Map.of("VALIDATION_ERROR", 40));
    assertThat(dryRun.summary().getJsonObject("by_original_topic").getMap()).isEqualTo(Map.of(stepTopic(), 40));
    assertThat(dryRun.summary().getJsonArray("sample")).hasSize(5);
    assertThat(adapter.topics.committedRecords(stepTopic())).as("the dry run put nothing back").hasSize(40);
    assertThat(committedMarkers()).as("nor wrote the log").isZero();

    adapter.config.put("validation", new JsonObject());
    adapter.start();
    Redrives.Run redrive = Redrives.run(adapter, "redrive");
    Redrives.assertDone(redrive);
    log.info("Redrive output:\n{}", redrive.output());
    assertThat(redrive.count("selected")).isEqualTo(40);
    assertThat(redrive.count("redriven")).isEqualTo(40);
    assertThat(redrive.count("skipped")).isZero();
    Map<String, Long> expected = Expected.rowCounts(events);
    await().atMost(Duration.ofMinutes(1)).until(adapter.snapshots::counts, expected::equals);

    Redrives.Run again = Redrives.run(adapter, "redrive-again");
    Redrives.assertDone(again);
    log.info("Second redrive output:\n{}", again.output());
    assertThat(again.count("redriven")).isZero();
    assertThat(again.count("skipped")).isEqualTo(40);
    assertThat(Redrives.redrivenDeadLetters(adapter, stepTopic(), READ_COMMITTED)).hasSize(40).doesNotHaveDuplicates();
    assertThat(adapter.snapshots.counts()).isEqualTo(expected);
    assertThat(adapter.topics.deadLetters()).as("nothing failed again").hasSize(40);
  }

  @Test
  @DisplayName("a redrive stopped by SIGTERM, one killed with a transaction open, a third: each dead letter put back once")
  void interruptedRedrivesRunAgainPutBackEachOnce() throws Exception {
    int total = 1_500;
    List<TestEvents.Event> events = deadLettered("redrive_kill", total, smallJsonLimit());
    adapter.stop();
    adapter.config.put("validation", new JsonObject());
    adapter.start();

    try (AdapterProcess stopped = Redrives.start(adapter, "redrive-stopped", "--batch", "50", "--rate", "300")) {
      await().atMost(Duration.ofMinutes(1)).until(() -> committedMarkers() >= 150);
      assertThat(stopped.terminate(Duration.ofSeconds(30))).isEqualTo(128 + 15);
      JsonObject summary = Redrives.summary(stopped.output()).orElseThrow();
      log.info("Redrive stopped by SIGTERM:\n{}", stopped.output());
      assertThat(summary.getString("outcome")).isEqualTo("interrupted");
      assertThat(summary.getLong("redriven")).as("the summary counts what was committed").isEqualTo(committedMarkers());
    }
    int abortedOnStop = putBack("read_uncommitted") - committedMarkers();
    try (AdapterProcess killed = Redrives.start(adapter, "redrive-killed", "--batch", "50", "--rate", "300")) {
      int before = committedMarkers();
      await().atMost(Duration.ofMinutes(1)).until(() -> committedMarkers() >= before + 150);
      await().atMost(Duration.ofMinutes(1)).until(() -> stoppedInATransaction(killed, abortedOnStop));
      killed.kill();
    }
    int committedByKilledRun = committedMarkers();
    int sentByKilledRun = putBack("read_uncommitted");
    log.info("Committed {} records, sent {} (aborted on SIGTERM {})", committedByKilledRun, sentByKilledRun, abortedOnStop);
    assertThat(committedByKilledRun).as("killed halfway").isBetween(300, total - 1);
    assertThat(sentByKilledRun - committedByKilledRun).as("killed with records of an open transaction on the topic")
        .isGreaterThan(abortedOnStop);

    Redrives.Run rest = Redrives.run(adapter, "redrive-rest", "--batch", "10");
    Redrives.assertDone(rest);
    log.info("Redrive after the kill:\n{}", rest.output());
    assertThat(rest.count("skipped")).isEqualTo(committedByKilledRun);
    assertThat(rest.count("redriven")).isEqualTo(total - committedByKilledRun);
    assertThat(Redrives.redrivenDeadLetters(adapter, stepTopic(), READ_COMMITTED)).as("read committed: each dead letter once")
        .hasSize(total).doesNotHaveDuplicates();
    Map<String, Long> expected = Expected.rowCounts(events);
    await().atMost(Duration.ofMinutes(2)).until(adapter.snapshots::counts, expected::equals);
    assertThat(committedMarkers()).isEqualTo(total);
    assertThat(adapter.ingestStats().getLong("consumed")).as("the adapter read none of the aborted records")
        .isEqualTo(total);
  }

  @Test
  @DisplayName("an event failing again after a redrive is dead-lettered with retry_count + 1, and counted as failed again")
  void eventFailingAgainIsDeadLetteredWithAHigherRetryCount() throws Exception {
    deadLettered("redrive_again", 5, new JsonObject().put("max_message_bytes", 1_024));

    Redrives.Run first = Redrives.run(adapter, "redrive-fails");
    Redrives.assertDone(first);
    assertThat(first.count("redriven")).isEqualTo(5);
    List<ConsumerRecord<byte[], byte[]>> secondLetters = lettersAfter(5, 10);
    assertThat(secondLetters).allSatisfy(letter -> {
      assertThat(Redrives.value(letter).getInteger("retry_count")).isEqualTo(1);
      assertThat(Redrives.value(letter).getString("error_type")).isEqualTo("VALIDATION_ERROR");
      assertThat(Redrives.header(letter, RedriveHeaders.RETRY_COUNT)).isEqualTo("1");
    });

    Redrives.Run second = Redrives.run(adapter, "redrive-fails-again");
    Redrives.assertDone(second);
    log.info("Redrive of events that failed again:\n{}", second.output());
    assertThat(second.count("selected")).isEqualTo(10);
    assertThat(second.count("skipped")).isEqualTo(5);
    assertThat(second.count("failed_again")).isEqualTo(5);
    assertThat(second.count("redriven")).isEqualTo(5);
    assertThat(lettersAfter(10, 15)).allSatisfy(letter ->
        assertThat(Redrives.value(letter).getInteger("retry_count")).isEqualTo(2));
    assertThat(adapter.db.count("workflow_steps")).isZero();
  }

  @Test
  @DisplayName("forged letters (another configured topic, a partition the topic lacks) are reported and skipped; the rest go back")
  void forgedLettersAreSkippedAndTheRestRedriven() throws Exception {
    deadLettered("redrive_forged", 2, smallJsonLimit());
    adapter.stop();
    String deadLetterTopic = stepTopic() + ".dlq";
    String startedTopic = TestEvents.topic(adapter.topicPrefix, EventType.WORKFLOW_STARTED);
    ConsumerRecord<byte[], byte[]> model = adapter.topics.deadLetters().get(0);
    List<RecordMetadata> forged = adapter.topics.produceRecords(List.of(
        letterLike(model, deadLetterTopic, Redrives.value(model).put("original_topic", startedTopic)),
        letterLike(model, deadLetterTopic, Redrives.value(model).put("original_partition", adapter.topics.partitions))));

    Redrives.Run run = Redrives.run(adapter, "redrive-forged");
    log.info("Redrive of forged letters:\n{}", run.output());

    assertThat(Redrives.redrivenDeadLetters(adapter, startedTopic, "read_uncommitted"))
        .as("nothing, not even an aborted record, on the topic the forged letter names").isEmpty();
    Redrives.assertDone(run);
    assertThat(run.count("redriven")).isEqualTo(2);
    assertThat(run.count("skipped_other_topic")).isEqualTo(1);
    assertThat(run.count("skipped_missing_partition")).isEqualTo(1);
    assertThat(Redrives.redrivenDeadLetters(adapter, stepTopic(), READ_COMMITTED))
        .containsExactlyInAnyOrder(deadLetterTopic + "/0/0", deadLetterTopic + "/0/1");
    assertThat(Redrives.logLines(run.output(), "WARN"))
        .filteredOn(line -> line.getString("logger_name").endsWith(".RedriveReport"))
        .extracting(line -> line.getString("dead_letter"))
        .containsExactlyInAnyOrderElementsOf(forged.stream()
            .map(letter -> deadLetterTopic + "/" + letter.partition() + "/" + letter.offset()).toList());
  }

  @Test
  @DisplayName("a dead-letter topic deleted and created again: its new letter at offset 0 goes back although markers for offset 0 exist")
  void recreatedDeadLetterTopicsLettersAreRedriven() throws Exception {
    deadLettered("redrive_recreated", 2, smallJsonLimit());
    adapter.stop();
    String deadLetterTopic = stepTopic() + ".dlq";
    List<ConsumerRecord<byte[], byte[]>> letters = adapter.topics.deadLetters().stream()
        .sorted(Comparator.comparingLong(ConsumerRecord::offset)).toList();
    Redrives.Run first = Redrives.run(adapter, "redrive-before-recreation");
    Redrives.assertDone(first);
    assertThat(first.count("redriven")).isEqualTo(2);
    adapter.topics.produceRecords(List.of(legacyMarker(letters.get(0), Instant.now())));

    recreate(deadLetterTopic);
    List<RecordMetadata> again = adapter.topics.produceRecords(letters.stream()
        .map(letter -> letterLike(letter, deadLetterTopic, Redrives.value(letter))).toList());
    assertThat(again).extracting(RecordMetadata::offset).containsExactly(0L, 1L);
    Redrives.Run second = Redrives.run(adapter, "redrive-after-recreation");
    Redrives.Run third = Redrives.run(adapter, "redrive-after-recreation-again");

    log.info("Redrive after the dead-letter topic was created again:\n{}", second.output());
    assertThat(committedMarkers()).as("two markers for each incarnation, one of an earlier version").isEqualTo(2 + 1 + 2);
    Redrives.assertDone(second);
    assertThat(second.count("redriven")).isEqualTo(2);
    assertThat(second.count("skipped")).isZero();
    Redrives.assertDone(third);
    assertThat(third.count("redriven")).isZero();
    assertThat(third.count("skipped")).isEqualTo(2);
    assertThat(Redrives.redrivenDeadLetters(adapter, stepTopic(), READ_COMMITTED)).containsExactlyInAnyOrder(
        deadLetterTopic + "/0/0", deadLetterTopic + "/0/1", deadLetterTopic + "/0/0", deadLetterTopic + "/0/1");
  }

  @Test
  @DisplayName("a --topic that is not the dead-letter topic of a configured topic is refused, with exit code 2")
  void topicOfNoConfiguredTopicExitsTwo() throws Exception {
    adapter = new AdapterFixture("redrive_foreign_topic");
    Redrives.Run run = Redrives.run(adapter, "redrive-foreign-topic", "--topic", "payments.v1.dlq");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.output().strip()).isEqualTo("redrive: --topic 'payments.v1.dlq' is not the dead-letter topic of a "
        + "configured topic (kafka.topics) (redrive --help lists the options)");
  }

  @Test
  @DisplayName("an unknown option is named in one line, with exit code 2")
  void unknownOptionExitsTwo() throws Exception {
    adapter = new AdapterFixture("redrive_usage");
    Redrives.Run run = Redrives.run(adapter, "redrive-usage", "--frobnicate");

    assertThat(run.exitCode()).isEqualTo(2);
    assertThat(run.output().strip()).isEqualTo("redrive: unknown option '--frobnicate' (redrive --help lists the options)");
  }

  /** A record on {@code topic}'s partition 0 with the key and headers of {@code letter} and {@code value}. */
  private static ProducerRecord<String, String> letterLike(ConsumerRecord<byte[], byte[]> letter, String topic,
      JsonObject value) {
    return new ProducerRecord<>(topic, 0, null, new String(letter.key(), StandardCharsets.UTF_8), value.encode(),
        letter.headers());
  }

  /** The marker an earlier version of the command wrote for {@code letter}: keyed by its coordinates alone. */
  private ProducerRecord<String, String> legacyMarker(ConsumerRecord<byte[], byte[]> letter, Instant redrivenAt) {
    JsonObject value = Redrives.value(letter);
    return new ProducerRecord<>(adapter.topicPrefix + ".redrive.log",
        letter.topic() + "/" + letter.partition() + "/" + letter.offset(),
        new JsonObject().put("redriven_at", redrivenAt.toString()).put("original_topic", value.getString("original_topic"))
            .put("event_id", value.getJsonObject("error_context").getString("event_id"))
            .put("error_type", value.getString("error_type")).put("retry_count", 1).encode());
  }

  /** Deletes {@code topic} and creates it again, as an operator may: its offsets start at 0 again, its id is new. */
  private void recreate(String topic) throws Exception {
    try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, adapter.bootstrapServers))) {
      admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
      await().atMost(Duration.ofSeconds(30)).ignoreExceptionsInstanceOf(ExecutionException.class).until(() -> {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        return true;
      });
      await().atMost(Duration.ofSeconds(30)).until(() -> admin.describeTopics(List.of(topic)).allTopicNames()
          .get(30, TimeUnit.SECONDS).get(topic).partitions().stream()
          .allMatch(partition -> partition.leader() != null && !partition.leader().isEmpty()));
    }
  }

  private int committedMarkers() {
    return adapter.topics.committedRecords(adapter.topicPrefix + ".redrive.log").size();
  }

  /** Records put back on the step topic, read at {@code isolation}. */
  private int putBack(String isolation) {
    return Redrives.redrivenDeadLetters(adapter, stepTopic(), isolation).size();
  }

  /**
   * Stops the process (SIGSTOP) and says whether it holds a transaction open whose records are on the
   * topic already: more records put back than markers committed and {@code aborted} before. If not,
   * lets it go on (SIGCONT).
   */
  private boolean stoppedInATransaction(AdapterProcess redrive, int aborted) throws Exception {
    signal(redrive, "STOP");
    if (putBack("read_uncommitted") - committedMarkers() > aborted) {
      return true;
    }
    signal(redrive, "CONT");
    return false;
  }

  private static void signal(AdapterProcess process, String signal) throws Exception {
    assertThat(new ProcessBuilder("kill", "-" + signal, String.valueOf(process.pid())).start().waitFor()).isZero();
  }

  /** Waits for {@code to} dead letters and returns those from the {@code from}-th on, in offset order. */
  private List<ConsumerRecord<byte[], byte[]>> lettersAfter(int from, int to) {
    List<ConsumerRecord<byte[], byte[]>> letters = await().atMost(Duration.ofMinutes(1))
        .until(adapter.topics::deadLetters, found -> found.size() >= to);
    assertThat(letters).hasSize(to);
    return letters.stream().sorted(Comparator.comparingLong(ConsumerRecord::offset)).toList().subList(from, to);
  }
}
