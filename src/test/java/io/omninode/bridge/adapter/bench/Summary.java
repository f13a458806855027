package io.omninode.bridge.adapter.bench;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;

/** Medians of the runs, the comparison of two builds, and the printed table. */
final class Summary {

  private Summary() {
  }

  /** The median of every numeric figure the runs have in common (the targets' keys and the per-rate ones). */
  static JsonObject medians(List<JsonObject> runs) {
    JsonObject median = new JsonObject();
    for (String key : numericKeys(runs)) {
      List<Double> values = runs.stream().map(run -> run.getValue(key)).filter(Objects::nonNull)
          .map(value -> ((Number) value).doubleValue()).sorted().toList();
      if (!values.isEmpty()) {
        median.put(key, values.get(values.size() / 2));
      }
    }
    Double drain = median.getDouble("drain_events_per_s");
    Double ceiling = median.getDouble("ceiling_rows_per_s");
    return median.put("drain_to_ceiling_ratio", drain == null || ceiling == null ? null : BenchRun.round(drain / ceiling));
  }

  /**
   * The worst run's value of every numeric figure: a target holds when it holds in every run. The
   * lowest for a rate or a share ({@code _per_s}, {@code ratio}, {@code efficiency}), the highest for
   * the rest (times, CPU, memory, rows lost).
   */
  static JsonObject worst(List<JsonObject> runs) {
    JsonObject worst = new JsonObject();
    for (String key : numericKeys(runs)) {
      boolean higherIsBetter = key.contains("_per_s") || key.contains("ratio") || key.contains("efficiency");
      runs.stream().map(run -> run.getValue(key)).filter(Objects::nonNull).map(value -> ((Number) value).doubleValue())
          .reduce(higherIsBetter ? Math::min : Math::max).ifPresent(value -> worst.put(key, value));
    }
    return worst;
  }

  /** The other build's medians and, per figure, other / current. */
  static JsonObject comparison(Path otherJar, List<JsonObject> current, List<JsonObject> other) {
    JsonObject mine = medians(current);
    JsonObject theirs = medians(other);
    JsonObject ratios = new JsonObject();
    for (String key : mine.fieldNames()) {
      Object a = mine.getValue(key);
      Object b = theirs.getValue(key);
      if (a instanceof Number x && b instanceof Number y && x.doubleValue() != 0) {
        ratios.put(key, BenchRun.round(y.doubleValue() / x.doubleValue()));
      }
    }
    return new JsonObject().put("jar", otherJar.toString()).put("medians", theirs).put("other_over_current", ratios)
        .put("runs", new JsonArray(other));
  }

  static void print(JsonObject summary) {
    JsonObject ab = summary.getJsonObject("ab");
    System.out.println();
    System.out.println("bridge-db-adapter benchmark (medians of " + summary.getJsonArray("runs").size()
        + " runs; shared machine: events/s move 10-20 % between runs, CPU per event less)");
    JsonObject worst = summary.getJsonObject("worst", new JsonObject());
    System.out.printf("%-38s %14s %14s%s%n", "figure", "this build", "worst run",
        ab == null ? "" : String.format(" %14s %8s", "other", "ratio"));
    for (String key : new TreeSet<>(summary.fieldNames())) {
      Object value = summary.getValue(key);
      if (value instanceof Number || value == null && Benchmark.FIGURES.contains(key)) {
        String other = ab == null ? "" : String.format(" %14s %8s", ab.getJsonObject("medians").getValue(key),
            ab.getJsonObject("other_over_current").getValue(key, ""));
        System.out.printf("%-38s %14s %14s%s%n", key, value, worst.getValue(key, ""), other);
      }
    }
    if (ab != null) {
      ab.getJsonArray("runs").stream().map(JsonObject.class::cast).filter(run -> run.containsKey("failed"))
          .forEach(run -> System.out.println("other build, run " + run.getInteger("run") + " failed: " + run.getString("failed")));
    }
    printScaling(summary.getJsonArray("scaling"));
  }

  private static void printScaling(JsonArray scaling) {
    if (scaling == null || scaling.isEmpty()) {
      return;
    }
    Double single = scaling.getJsonObject(0).getDouble("drain_events_per_s");
    System.out.println();
    System.out.printf("%-10s %16s %10s %14s%n", "instances", "drain events/s", "speed-up", "rows as expected");
    for (Object entry : scaling) {
      JsonObject run = (JsonObject) entry;
      Double rate = run.getDouble("drain_events_per_s");
      System.out.printf("%-10s %16s %10s %14s%n", run.getInteger("instances"),
          rate == null ? "n/a" : String.valueOf(Math.round(rate)),
          rate == null || single == null ? "n/a" : String.format("%.2f", rate / single), run.getBoolean("rows_as_expected"));
    }
    if (scaling.stream().anyMatch(run -> ((JsonObject) run).getValue("drain_events_per_s") == null)) {
      System.out.println("n/a: most events were drained before every instance owned partitions; raise --events");
    }
  }

  private static List<String> numericKeys(List<JsonObject> runs) {
    TreeSet<String> keys = new TreeSet<>();
    runs.forEach(run -> run.forEach(entry -> {
      if (entry.getValue() instanceof Number && !entry.getKey().equals("run")) {
        keys.add(entry.getKey());
      }
    }));
    return new ArrayList<>(keys);
  }
}
