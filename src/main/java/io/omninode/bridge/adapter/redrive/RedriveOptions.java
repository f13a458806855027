package io.omninode.bridge.adapter.redrive;

import io.omninode.bridge.adapter.contract.ErrorType;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The command line of {@code redrive}, as the launcher takes its own: {@code -name value} or
 * {@code -name=value}, one or two dashes. A bad one throws {@link IllegalArgumentException} with one
 * line that names it.
 *
 * @param conf  the {@code -conf} file (or inline JSON), null for none: the environment alone
 * @param limit at most this many records redriven, 0 for no limit
 * @param rate  at most this many records per second, 0 for no limit
 */
record RedriveOptions(String conf, List<String> topics, Selection selection, boolean dryRun, long limit, int batch,
    double rate, boolean help) {

  static final int DEFAULT_BATCH = 500;
  private static final Set<String> FLAGS = Set.of("dry-run", "help");
  private static final Set<String> VALUED = Set.of("conf", "topic", "error-type", "original-topic", "since", "until",
      "event-id", "event-ids-file", "limit", "batch", "rate");
  private static final List<String> ERROR_TYPES = Arrays.stream(ErrorType.values())
      .filter(type -> !type.isTransient()).map(Enum::name).toList();

  static final String USAGE = """
      Usage: java -jar bridge-db-adapter.jar redrive [-conf <file>] [options]
      Puts dead letters back on their original topics, each once (docs/redrive.md).
        --topic <dead-letter topic>   repeatable, of configured topics; default: the <topic>.dlq of each
        --error-type <type>           repeatable: %s
        --original-topic <topic>      repeatable
        --since <time> --until <time> failed_at in [since, until), ISO-8601 (2026-11-24T10:00:00Z or 2026-11-24)
        --event-id <uuid>             repeatable; or --event-ids-file <file>, one id a line
        --limit <n>                   redrive at most n records
        --batch <n>                   records per transaction (default %d)
        --rate <n>                    at most n records per second
        --dry-run                     count and show what would be redriven, change nothing
      """.formatted(String.join(", ", ERROR_TYPES), DEFAULT_BATCH);

  static RedriveOptions parse(List<String> args) {
    Map<String, List<String>> given = new HashMap<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String name = name(arg);
      int equals = arg.indexOf('=');
      if (FLAGS.contains(name)) {
        if (equals >= 0) {
          throw new IllegalArgumentException("option --" + name + " takes no value");
        }
        given.put(name, List.of());
      } else if (VALUED.contains(name)) {
        String value = equals >= 0 ? arg.substring(equals + 1) : i + 1 < args.size() ? args.get(++i) : null;
        if (value == null || value.isBlank()) {
          throw new IllegalArgumentException("option " + arg + " needs a value");
        }
        given.computeIfAbsent(name, key -> new ArrayList<>()).add(value.strip());
      } else {
        throw new IllegalArgumentException("unknown option '" + arg + "'");
      }
    }
    return of(given);
  }

  private static RedriveOptions of(Map<String, List<String>> given) {
    Selection selection = new Selection(errorTypes(all(given, "error-type")), Set.copyOf(all(given, "original-topic")),
        time(given, "since"), time(given, "until"), eventIds(given));
    if (selection.since() != null && selection.until() != null && !selection.since().isBefore(selection.until())) {
      throw new IllegalArgumentException("--since must be before --until");
    }
    return new RedriveOptions(last(given, "conf"), List.copyOf(new LinkedHashSet<>(all(given, "topic"))), selection,
        given.containsKey("dry-run"), number(given, "limit", 0, Long.MAX_VALUE),
        (int) number(given, "batch", DEFAULT_BATCH, 100_000), rate(given), given.containsKey("help"));
  }

  /** {@code -conf}, {@code --conf} and {@code --conf=x} all name {@code conf}; a bare word names nothing. */
  private static String name(String arg) {
    if (!arg.startsWith("-")) {
      return "";
    }
    int equals = arg.indexOf('=');
    return (equals < 0 ? arg : arg.substring(0, equals)).replaceFirst("^--?", "");
  }

  private static Set<String> errorTypes(List<String> values) {
    Set<String> types = values.stream().map(String::toUpperCase).collect(Collectors.toUnmodifiableSet());
    types.stream().filter(type -> !ERROR_TYPES.contains(type)).findFirst().ifPresent(type -> {
      throw new IllegalArgumentException("--error-type '" + type + "' is not one of " + String.join(", ", ERROR_TYPES));
    });
    return types;
  }

  private static Instant time(Map<String, List<String>> given, String name) {
    String value = last(given, name);
    if (value == null) {
      return null;
    }
    try {
      return value.length() == 10 ? LocalDate.parse(value).atStartOfDay(ZoneOffset.UTC).toInstant()
          : OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw new IllegalArgumentException("--" + name + " '" + value + "' is not an ISO-8601 time "
          + "(2026-11-24T10:00:00Z, 2026-11-24T11:00:00+01:00 or 2026-11-24)");
    }
  }

  private static Set<String> eventIds(Map<String, List<String>> given) {
    Set<String> ids = new LinkedHashSet<>();
    all(given, "event-id").forEach(id -> ids.add(uuid(id, "--event-id '" + id + "'")));
    for (String file : all(given, "event-ids-file")) {
      List<String> lines = lines(file);
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (!line.isEmpty() && !line.startsWith("#")) {
          ids.add(uuid(line, "--event-ids-file " + file + ": line " + (i + 1) + " '" + line + "'"));
        }
      }
    }
    return Set.copyOf(ids);
  }

  private static String uuid(String value, String what) {
    try {
      if (value.length() == 36) {
        return UUID.fromString(value).toString();
      }
    } catch (IllegalArgumentException ignored) {
      // said below
    }
    throw new IllegalArgumentException(what + " is not a UUID");
  }

  private static List<String> lines(String file) {
    try {
      return Files.readAllLines(Path.of(file));
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException("--event-ids-file " + file + " could not be read: no such file");
    } catch (IOException | InvalidPathException e) {
      throw new IllegalArgumentException("--event-ids-file " + file + " could not be read: " + e.getMessage());
    }
  }

  private static long number(Map<String, List<String>> given, String name, long absent, long max) {
    String value = last(given, name);
    try {
      long parsed = value == null ? absent : Long.parseLong(value);
      if (value != null && (parsed < 1 || parsed > max)) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--" + name + " '" + value + "' is not a whole number from 1 to " + max);
    }
  }

  private static double rate(Map<String, List<String>> given) {
    String value = last(given, "rate");
    try {
      double parsed = value == null ? 0 : Double.parseDouble(value);
      if (value != null && !(parsed > 0 && Double.isFinite(parsed))) {
        throw new NumberFormatException();
      }
      return parsed;
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--rate '" + value + "' is not a positive number of records per second");
    }
  }

  private static List<String> all(Map<String, List<String>> given, String name) {
    return given.getOrDefault(name, List.of());
  }

  private static String last(Map<String, List<String>> given, String name) {
    List<String> values = all(given, name);
    return values.isEmpty() ? null : values.get(values.size() - 1);
  }
}
