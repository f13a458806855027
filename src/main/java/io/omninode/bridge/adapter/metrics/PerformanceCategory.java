package io.omninode.bridge.adapter.metrics;

/** Coarse speed classes for log lines: FAST under 10 ms, SLOW under 100 ms, VERY_SLOW beyond. */
public enum PerformanceCategory {
  FAST, SLOW, VERY_SLOW;

  public static PerformanceCategory of(long millis) {
    return millis < 10 ? FAST : millis < 100 ? SLOW : VERY_SLOW;
  }
}
