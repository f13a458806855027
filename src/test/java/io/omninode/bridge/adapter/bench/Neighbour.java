package io.omninode.bridge.adapter.bench;

import io.omninode.bridge.adapter.testsupport.ProcStat;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A busy neighbour ({@code --neighbour 0.5}): a process of its own that keeps a share of one core
 * busy, evenly (never more than {@link #PERIOD_NANOS} asleep), as another tenant of a shared
 * machine would. The benchmark runs it through the rate phases and reports the share it really took.
 */
final class Neighbour implements AutoCloseable {

  /** The longest it sleeps at once. */
  private static final long PERIOD_NANOS = TimeUnit.MILLISECONDS.toNanos(10);
  /** The CPU time it may fall behind its share before the rest is forgiven. */
  private static final long MAX_DEBT_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

  private final Process process;
  private final long started = System.nanoTime();

  private Neighbour(Process process) {
    this.process = process;
  }

  /** Started at {@code share} of one core (0 &lt; share &le; 1). */
  static Neighbour start(double share) throws Exception {
    if (!(share > 0 && share <= 1)) {
      throw new IllegalArgumentException("--neighbour is a share of one core, in (0, 1]: " + share);
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process process = new ProcessBuilder(List.of(java.toString(), "-Xmx32m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), Neighbour.class.getName(), String.valueOf(share)))
        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    return new Neighbour(process);
  }

  /** The share of one core it used since it started (its JVM's start-up included, a fraction of a second). */
  double cpuShare() {
    double seconds = (System.nanoTime() - started) / 1e9;
    return BenchRun.round(ProcStat.cpuSeconds(process.pid()) / seconds);
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    process.waitFor(10, TimeUnit.SECONDS);
  }

  /**
   * Spins while its CPU time is behind {@code share} of the wall time, sleeps while ahead. It asks for
   * CPU time, not for busy wall time: on a crowded machine it competes for its share as a tenant
   * would, instead of taking less whenever it is preempted. A debt older than {@link #MAX_DEBT_NANOS}
   * is forgiven, so it never bursts to catch up.
   */
  public static void main(String[] args) {
    double share = Double.parseDouble(args[0]);
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long wallStart = System.nanoTime();
    long cpuStart = threads.getCurrentThreadCpuTime();
    long sink = 0;
    while (true) {
      long owed = Math.round((System.nanoTime() - wallStart) * share) - (threads.getCurrentThreadCpuTime() - cpuStart);
      if (owed > MAX_DEBT_NANOS) {
        cpuStart -= owed - MAX_DEBT_NANOS;
      }
      if (owed > 0) {
        for (int i = 0; i < 10_000; i++) {
          sink += i ^ sink;
        }
      } else {
        LockSupport.parkNanos(Math.min(-owed, PERIOD_NANOS));
      }
      if (sink == 42) {
        System.out.print("");
      }
    }
  }
}
