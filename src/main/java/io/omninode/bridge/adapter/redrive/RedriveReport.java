package io.omninode.bridge.adapter.redrive;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a redrive found and did: a JSON log line of progress every 5 s or 10,000 records read, and at
 * the end a JSON summary line and a short table (stderr). "Redriven" counts committed records only:
 * what an aborted transaction held was not redriven and is left for the next run.
 */
final class RedriveReport {

  private static final Logger log = LoggerFactory.getLogger(RedriveReport.class);
  private static final long PROGRESS_EVERY_MS = 5_000;
  private static final long PROGRESS_EVERY_RECORDS = 10_000;
  private static final int SAMPLE_SIZE = 5;
  private static final int SAMPLE_MESSAGE_CHARS = 120;
  /** A topic deleted with its dead letters left behind would otherwise log a line per letter, every run. */
  private static final int REFUSALS_LOGGED = 100;
  /** Longer than any topic name: what a letter claims is written by whoever wrote the letter. */
  private static final int CLAIM_CHARS = 250;

  private final boolean dryRun;
  private final List<String> topics;
  private final long startedAtMs = System.currentTimeMillis();
  private long lastProgressAtMs = startedAtMs;
  private long read;
  private long unreadable;
  private long selected;
  private long skipped;
  private long failedAgain;
  private long redriven;
  private long aborted;
  private final Map<RedriveSource.Refusal, Long> refused = new EnumMap<>(RedriveSource.Refusal.class);
  private final Map<String, Long> byErrorType = new TreeMap<>();
  private final Map<String, Long> byOriginalTopic = new TreeMap<>();
  private final List<Map<String, Object>> sample = new ArrayList<>();
  private String outcome = "done";

  RedriveReport(boolean dryRun, List<String> topics) {
    this.dryRun = dryRun;
    this.topics = topics;
  }

  void read() {
    if (++read % PROGRESS_EVERY_RECORDS == 0) {
      progress();
    }
  }

  void unreadable() {
    unreadable++;
  }

  void selected(StoredLetter letter) {
    selected++;
    if (letter.failedAgain()) {
      failedAgain++;
    }
  }

  void skipped() {
    skipped++;
  }

  /** A letter its source does not let go back: counted, and named in a WARN line (the first few of each kind). */
  void refused(StoredLetter letter, RedriveSource.Refusal refusal, String target) {
    long count = refused.merge(refusal, 1L, Long::sum);
    if (count > REFUSALS_LOGGED) {
      return;
    }
    log.atWarn().addKeyValue("dead_letter", letter.coordinates()).addKeyValue("reason", refusal.key)
        .addKeyValue("original_topic", claim(letter.originalTopic()))
        .addKeyValue("original_partition", claim(String.valueOf(letter.originalPartitionClaim())))
        .addKeyValue("target_topic", target)
        .log("Redrive skips dead letter {}: it {}{}", letter.coordinates(), refusal.meaning,
            count == REFUSALS_LOGGED ? "; further ones of this kind are counted, not logged" : "");
  }

  /** A committed transaction's letters (a dry run's one by one). */
  void redriven(List<StoredLetter> letters) {
    for (StoredLetter letter : letters) {
      redriven++;
      byErrorType.merge(String.valueOf(letter.errorType()), 1L, Long::sum);
      byOriginalTopic.merge(letter.originalTopic(), 1L, Long::sum);
      if (sample.size() < SAMPLE_SIZE) {
        sample.add(sampleOf(letter));
      }
    }
  }

  void aborted(int letters) {
    aborted += letters;
  }

  void interrupted() {
    outcome = "interrupted";
  }

  void failed(String reason) {
    outcome = "failed: " + reason;
  }

  void tick() {
    if (System.currentTimeMillis() - lastProgressAtMs >= PROGRESS_EVERY_MS) {
      progress();
    }
  }

  private void progress() {
    lastProgressAtMs = System.currentTimeMillis();
    log.atInfo().addKeyValue("read", read).addKeyValue("selected", selected)
        .addKeyValue(dryRun ? "would_redrive" : "redriven", redriven).addKeyValue("skipped", skipped)
        .log("Redrive progress");
  }

  /** The counts as the summary line carries them. */
  Map<String, Object> counts() {
    Map<String, Object> counts = new LinkedHashMap<>();
    counts.put("dry_run", dryRun);
    counts.put("outcome", outcome);
    counts.put("topics", topics);
    counts.put("read", read);
    counts.put("selected", selected);
    counts.put("redriven", dryRun ? 0 : redriven);
    if (dryRun) {
      counts.put("would_redrive", redriven);
    }
    counts.put("skipped", skipped);
    for (RedriveSource.Refusal refusal : RedriveSource.Refusal.values()) {
      counts.put(refusal.key, refused.getOrDefault(refusal, 0L));
    }
    counts.put("failed_again", failedAgain);
    counts.put("aborted", aborted);
    counts.put("unreadable", unreadable);
    counts.put("by_error_type", byErrorType);
    counts.put("by_original_topic", byOriginalTopic);
    counts.put("sample", sample);
    counts.put("duration_ms", System.currentTimeMillis() - startedAtMs);
    return counts;
  }

  void logSummary() {
    LoggingEventBuilder line = log.atInfo();
    counts().forEach(line::addKeyValue);
    line.log(dryRun ? "Redrive dry run summary" : "Redrive summary");
  }

  String table() {
    StringBuilder table = new StringBuilder()
        .append(String.format(Locale.ROOT, "redrive%s: %s, %d dead-letter topic(s), %d records read in %.1f s%n",
            dryRun ? " (dry run)" : "", outcome, topics.size(), read,
            (System.currentTimeMillis() - startedAtMs) / 1000.0))
        .append(row("selected", selected, "matched the selection"))
        .append(row(dryRun ? "would redrive" : "redriven", redriven, dryRun ? "nothing was changed" : "committed"))
        .append(row("skipped", skipped, "already redriven by an earlier run"));
    refused.forEach((refusal, count) -> table.append(row("skipped", count, "not redriven: each " + refusal.meaning)));
    table.append(row("failed again", failedAgain, "dead-lettered again after an earlier redrive"));
    if (aborted > 0) {
      table.append(row("aborted", aborted, "in the transaction the interrupt aborted: left for the next run"));
    }
    if (unreadable > 0) {
      table.append(row("unreadable", unreadable, "not dead letters of this adapter, left alone"));
    }
    byErrorType.forEach((type, count) -> table.append(row("by error type", count, type)));
    byOriginalTopic.forEach((topic, count) -> table.append(row("by original topic", count, topic)));
    sample.forEach(letter -> table.append(String.format(Locale.ROOT, "  e.g. %s %s event %s: %s%n",
        letter.get("dead_letter"), letter.get("error_type"), letter.get("event_id"), letter.get("error_message"))));
    return table.toString();
  }

  private static String row(String label, long count, String meaning) {
    return String.format(Locale.ROOT, "  %-17s %8d  %s%n", label, count, meaning);
  }

  private static String claim(String text) {
    return text == null || text.length() <= CLAIM_CHARS ? text : text.substring(0, CLAIM_CHARS) + "...";
  }

  private static Map<String, Object> sampleOf(StoredLetter letter) {
    Map<String, Object> entry = new LinkedHashMap<>();
    entry.put("dead_letter", letter.coordinates());
    entry.put("event_id", letter.eventId());
    entry.put("error_type", letter.errorType());
    String message = letter.errorMessage();
    entry.put("error_message", message == null || message.length() <= SAMPLE_MESSAGE_CHARS ? message
        : message.substring(0, SAMPLE_MESSAGE_CHARS) + "...");
    entry.put("retry_count", letter.retryCount());
    return entry;
  }
}
