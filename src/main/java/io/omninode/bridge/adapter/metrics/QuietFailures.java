package io.omninode.bridge.adapter.metrics;

import org.slf4j.Logger;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Reports failures of side work (counting, logging) that must never change an event's outcome: the
 * first with its stack trace, then one line every {@value #REPORT_EVERY} failures, so that a failure
 * on every event cannot flood the log.
 */
public final class QuietFailures {

  static final long REPORT_EVERY = 10_000;

  private final Logger log;
  private final String what;
  private final AtomicLong failures = new AtomicLong();

  public QuietFailures(Logger log, String what) {
    this.log = log;
    this.what = what;
  }

  /** Runs {@code work}; a RuntimeException it throws is reported, never thrown. */
  public void run(Runnable work) {
    try {
      work.run();
    } catch (RuntimeException failure) {
      long count = failures.incrementAndGet();
      if (count == 1) {
        log.warn("{} failed; the event is not affected", what, failure);
      } else if (count % REPORT_EVERY == 0) {
        log.warn("{} failed {} times so far: {}", what, count, failure.toString());
      }
    }
  }

  public long failures() {
    return failures.get();
  }
}
