package io.omninode.bridge.adapter.it;

import io.omninode.bridge.adapter.deadletter.RedriveHeaders;
import io.omninode.bridge.adapter.testsupport.AdapterProcess;
import io.vertx.core.json.JsonObject;
import org.apache.kafka.clients.consumer.ConsumerRecord;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The redrive command as operators run it: the fat jar, {@code redrive -conf <the adapter's config>}. */
final class Redrives {

  private static final Path DIR = Path.of("target", "adapter-processes");
  private static int runs;

  private Redrives() {
  }

  /** A finished run: its exit code, its output (JSON log lines and the table), and its summary line. */
  record Run(int exitCode, String output, JsonObject summary) {

    long count(String key) {
      return summary.getLong(key);
    }
  }

  /** Starts {@code redrive} on the adapter's config with {@code options}; returns at once. */
  static AdapterProcess start(AdapterFixture adapter, String name, String... options) throws Exception {
    Files.createDirectories(DIR);
    Path conf = Files.writeString(DIR.resolve(name + "-" + (++runs) + ".json"), adapter.config.encodePrettily());
    List<String> arguments = new ArrayList<>(List.of("redrive", "-conf", conf.toString()));
    arguments.addAll(List.of(options));
    return AdapterProcess.launchWith(name + "-" + runs, 0, Map.of(), arguments);
  }

  /** Runs {@code redrive} to its end and returns what it said. */
  static Run run(AdapterFixture adapter, String name, String... options) throws Exception {
    try (AdapterProcess process = start(adapter, name, options)) {
      int exitCode = process.exitCode(Duration.ofMinutes(3));
      String output = process.output();
      return new Run(exitCode, output, summary(output).orElse(null));
    }
  }

  /** The summary line, the last JSON line whose message names it. */
  static Optional<JsonObject> summary(String output) {
    JsonObject found = null;
    for (String line : output.split("\n")) {
      if (line.startsWith("{") && new JsonObject(line).getString("message", "").startsWith("Redrive")
          && new JsonObject(line).getString("message").endsWith("summary")) {
        found = new JsonObject(line);
      }
    }
    return Optional.ofNullable(found);
  }

  /** The JSON log lines of {@code level}. */
  static List<JsonObject> logLines(String output, String level) {
    List<JsonObject> lines = new ArrayList<>();
    for (String line : output.split("\n")) {
      if (line.startsWith("{") && level.equals(new JsonObject(line).getString("level"))) {
        lines.add(new JsonObject(line));
      }
    }
    return lines;
  }

  /**
   * The dead letters that records of {@code topic} put back by a redrive name in their headers: those
   * committed, or with {@code read_uncommitted} also those of aborted transactions.
   */
  static List<String> redrivenDeadLetters(AdapterFixture adapter, String topic, String isolation) {
    List<String> deadLetters = new ArrayList<>();
    for (ConsumerRecord<byte[], byte[]> record : adapter.topics.records(topic::equals, isolation)) {
      if (record.headers().lastHeader(RedriveHeaders.DLQ_OFFSET) != null) {
        deadLetters.add(header(record, RedriveHeaders.DLQ_TOPIC) + "/" + header(record, RedriveHeaders.DLQ_PARTITION)
            + "/" + header(record, RedriveHeaders.DLQ_OFFSET));
      }
    }
    return deadLetters;
  }

  static String header(ConsumerRecord<byte[], byte[]> record, String key) {
    return new String(record.headers().lastHeader(key).value(), StandardCharsets.UTF_8);
  }

  static JsonObject value(ConsumerRecord<byte[], byte[]> deadLetter) {
    return new JsonObject(new String(deadLetter.value(), StandardCharsets.UTF_8));
  }

  static void assertDone(Run run) {
    assertThat(run.exitCode()).as(run.output()).isZero();
    assertThat(run.summary()).as(run.output()).isNotNull();
  }
}
