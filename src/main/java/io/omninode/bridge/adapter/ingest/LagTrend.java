package io.omninode.bridge.adapter.ingest;

/** The total consumer lag over the last few samples: growing when it rose at every one of them. */
final class LagTrend {

  private static final int SAMPLES = 5;

  private final long[] totals = new long[SAMPLES];
  private int taken;

  void sample(long total) {
    totals[taken % SAMPLES] = total;
    taken++;
  }

  long latest() {
    return taken == 0 ? 0 : totals[(taken - 1) % SAMPLES];
  }

  boolean isGrowing() {
    if (taken < SAMPLES) {
      return false;
    }
    for (int i = 1; i < SAMPLES; i++) {
      if (totals[(taken - SAMPLES + i) % SAMPLES] <= totals[(taken - SAMPLES + i - 1) % SAMPLES]) {
        return false;
      }
    }
    return true;
  }
}
