package io.omninode.bridge.adapter.redrive;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@DisplayName("The redrive command line")
class RedriveOptionsTest {

  private static RedriveOptions parse(String... args) {
    return RedriveOptions.parse(List.of(args));
  }

  @Test
  @DisplayName("with nothing given: every dead letter of the configured topics, for real, 500 a transaction")
  void defaults() {
    RedriveOptions options = parse();

    assertThat(options.conf()).isNull();
    assertThat(options.topics()).isEmpty();
    assertThat(options.selection()).isEqualTo(Selection.ALL);
    assertThat(options.dryRun()).isFalse();
    assertThat(options.limit()).isZero();
    assertThat(options.batch()).isEqualTo(500);
    assertThat(options.rate()).isZero();
  }

  @Test
  @DisplayName("every option, as -name value, --name value or --name=value; the repeatable ones repeated")
  void everyOption() {
    String id = UUID.randomUUID().toString();
    RedriveOptions options = parse("-conf", "conf/config.json", "--topic", "a.dlq", "--topic=b.dlq",
        "--error-type", "validation_error", "--error-type=DATA_ERROR", "--original-topic", "a",
        "--since", "2026-11-24", "--until=2026-11-24T12:00:00+01:00", "--event-id", id.toUpperCase(),
        "--dry-run", "--limit", "10", "--batch=20", "--rate", "2.5");

    assertThat(options.conf()).isEqualTo("conf/config.json");
    assertThat(options.topics()).containsExactly("a.dlq", "b.dlq");
    assertThat(options.selection().errorTypes()).containsExactlyInAnyOrder("VALIDATION_ERROR", "DATA_ERROR");
    assertThat(options.selection().originalTopics()).containsExactly("a");
    assertThat(options.selection().since()).isEqualTo(Instant.parse("2026-11-24T00:00:00Z"));
    assertThat(options.selection().until()).isEqualTo(Instant.parse("2026-11-24T11:00:00Z"));
    assertThat(options.selection().eventIds()).containsExactly(id);
    assertThat(options.dryRun()).isTrue();
    assertThat(options).extracting(RedriveOptions::limit, RedriveOptions::batch, RedriveOptions::rate)
        .containsExactly(10L, 20, 2.5);
  }

  @Test
  @DisplayName("event ids from a file, one a line, blank lines and # comments ignored")
  void eventIdsFromAFile(@TempDir Path directory) throws Exception {
    String first = UUID.randomUUID().toString();
    String second = UUID.randomUUID().toString();
    Path file = Files.writeString(directory.resolve("ids.txt"), "# from the incident\n" + first + "\n\n  " + second + "\n");

    assertThat(parse("--event-ids-file", file.toString()).selection().eventIds()).containsExactlyInAnyOrder(first, second);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', value = {
      "--frobnicate                         | unknown option '--frobnicate'",
      "stray                                | unknown option 'stray'",
      "--topic                              | option --topic needs a value",
      "--dry-run=yes                        | option --dry-run takes no value",
      "--error-type=CIRCUIT_OPEN            | --error-type 'CIRCUIT_OPEN' is not one of INVALID_JSON, UNKNOWN_EVENT_TYPE,",
      "--since=yesterday                    | --since 'yesterday' is not an ISO-8601 time",
      "--until=2026-11-24T10:00             | --until '2026-11-24T10:00' is not an ISO-8601 time",
      "--event-id=42                        | --event-id '42' is not a UUID",
      "--limit=0                            | --limit '0' is not a whole number from 1 to",
      "--batch=many                         | --batch 'many' is not a whole number from 1 to 100000",
      "--batch=100001                       | --batch '100001' is not a whole number from 1 to 100000",
      "--rate=-1                            | --rate '-1' is not a positive number of records per second",
      "--event-ids-file=/no/such/ids.txt    | --event-ids-file /no/such/ids.txt could not be read: no such file"})
  @DisplayName("a bad option or value is named in one line")
  void badOptionIsNamed(String arg, String message) {
    assertThatThrownBy(() -> parse(arg)).isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message)
        .hasMessageNotContaining("\n");
  }

  @Test
  @DisplayName("since must come before until")
  void sinceBeforeUntil() {
    assertThatThrownBy(() -> parse("--since", "2026-11-25", "--until", "2026-11-24"))
        .hasMessage("--since must be before --until");
  }

  @Test
  @DisplayName("a line of the ids file that is no UUID is named by its number")
  void badIdInFileIsNamedByLine(@TempDir Path directory) throws Exception {
    Path file = Files.writeString(directory.resolve("ids.txt"), UUID.randomUUID() + "\nnot-an-id\n");

    assertThatThrownBy(() -> parse("--event-ids-file", file.toString()))
        .hasMessage("--event-ids-file " + file + ": line 2 'not-an-id' is not a UUID");
  }
}
