package io.omninode.bridge.adapter.bench;

import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads histograms out of Prometheus text, and percentiles out of the difference of two scrapes. */
final class PromText {

  private static final Pattern BUCKET = Pattern.compile("^(\\w+)_bucket\\{([^}]*)le=\"([^\"]+)\"[^}]*} ([0-9.eE+-]+)$");

  private PromText() {
  }

  /** Cumulative count per upper bound, summed over every series of {@code histogram} whose labels contain {@code filter}. */
  static TreeMap<Double, Double> buckets(String text, String histogram, String filter) {
    TreeMap<Double, Double> buckets = new TreeMap<>();
    for (String line : text.split("\n")) {
      Matcher matcher = BUCKET.matcher(line);
      if (matcher.matches() && matcher.group(1).equals(histogram) && matcher.group(2).contains(filter)) {
        double le = matcher.group(3).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(matcher.group(3));
        buckets.merge(le, Double.parseDouble(matcher.group(4)), Double::sum);
      }
    }
    return buckets;
  }

  /** The {@code quantile} (0..1) of what was recorded between two scrapes, interpolated inside its bucket, in ms. */
  static double percentileMs(TreeMap<Double, Double> before, TreeMap<Double, Double> after, double quantile) {
    TreeMap<Double, Double> delta = new TreeMap<>();
    after.forEach((le, count) -> delta.put(le, count - before.getOrDefault(le, 0.0)));
    double total = delta.isEmpty() ? 0 : delta.lastEntry().getValue();
    if (total <= 0) {
      return Double.NaN;
    }
    double rank = quantile * total;
    double lowerBound = 0;
    double lowerCount = 0;
    for (Map.Entry<Double, Double> bucket : delta.entrySet()) {
      if (bucket.getValue() >= rank) {
        if (bucket.getKey().isInfinite()) {
          return lowerBound * 1000;
        }
        double share = (rank - lowerCount) / Math.max(bucket.getValue() - lowerCount, 1e-9);
        return (lowerBound + share * (bucket.getKey() - lowerBound)) * 1000;
      }
      lowerBound = bucket.getKey();
      lowerCount = bucket.getValue();
    }
    return lowerBound * 1000;
  }

  /**
   * Time the shared pool's connections were in use over that plus the time statements queued for one,
   * between two scrapes; null when the pool was not used.
   */
  static Double poolEfficiency(String before, String after) {
    String pool = "pool_name=\"bridge-db\"";
    double used = total(after, "vertx_pool_usage_seconds_sum", pool) - total(before, "vertx_pool_usage_seconds_sum", pool);
    double queued = total(after, "vertx_pool_queue_time_seconds_sum", pool)
        - total(before, "vertx_pool_queue_time_seconds_sum", pool);
    return used + queued <= 0 ? null : Math.round(used / (used + queued) * 1000) / 1000.0;
  }

  /** The sum of every sample of {@code series}, whatever its labels. */
  static double total(String text, String series) {
    return total(text, series, "");
  }

  /** The sum of the samples of {@code series} whose labels contain {@code filter}. */
  private static double total(String text, String series, String filter) {
    double total = 0;
    for (String line : text.split("\n")) {
      if ((line.startsWith(series + "{") || line.startsWith(series + " ")) && line.contains(filter)) {
        total += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
      }
    }
    return total;
  }
}
