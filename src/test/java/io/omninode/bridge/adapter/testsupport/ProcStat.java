package io.omninode.bridge.adapter.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.stream.Stream;

/** What Linux says of a process in /proc: resident memory and CPU time. Zero once it has gone. */
public final class ProcStat {

  /** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ, 100 on Linux). */
  private static final double TICKS_PER_SECOND = 100.0;

  private ProcStat() {
  }

  /**
   * CPU seconds so far of every process whose command line contains {@code marker} (a PostgreSQL
   * backend's names its database: {@code "postgres: bridge_user bench_db ..."}), by pid.
   */
  public static Map<Long, Double> cpuSecondsByPid(String marker) {
    Map<Long, Double> seconds = new HashMap<>();
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      processes.filter(dir -> dir.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(dir -> {
        long pid = Long.parseLong(dir.getFileName().toString());
        if (commandLine(pid).contains(marker)) {
          seconds.put(pid, cpuSeconds(pid));
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return seconds;
  }

  /** The CPU seconds those processes used since {@code before} (one that started since counts in full). */
  public static double cpuSecondsSince(Map<Long, Double> before, String marker) {
    Map<Long, Double> after = cpuSecondsByPid(marker);
    return after.entrySet().stream().mapToDouble(entry -> entry.getValue() - before.getOrDefault(entry.getKey(), 0.0))
        .sum();
  }

  /** CPU seconds so far per thread name of a process (threads of one pool summed: "vert.x-eventloop-thread-*"). */
  public static Map<String, Double> cpuSecondsByThread(long pid) {
    Map<String, Double> seconds = new HashMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc", String.valueOf(pid), "task"))) {
      tasks.forEach(task -> {
        try {
          String stat = Files.readString(task.resolve("stat"));
          String name = stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')).replaceAll("[-#]?\\d+$", "-*");
          String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
          seconds.merge(name, (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND, Double::sum);
        } catch (IOException | RuntimeException gone) {
          // the thread has ended
        }
      });
    } catch (IOException gone) {
      // the process has exited
    }
    return seconds;
  }

  private static String commandLine(long pid) {
    try {
      return new String(Files.readAllBytes(Path.of("/proc", String.valueOf(pid), "cmdline"))).replace('\0', ' ');
    } catch (IOException | RuntimeException gone) {
      return "";
    }
  }

  public static long rssKb(long pid) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("\\D", ""));
        }
      }
    } catch (IOException | RuntimeException gone) {
      // the process has exited
    }
    return 0;
  }

  /** User plus system CPU seconds the process has used so far. */
  public static double cpuSeconds(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      // the command name (field 2) may contain spaces: count fields after its closing parenthesis
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / TICKS_PER_SECOND;
    } catch (IOException | RuntimeException gone) {
      return 0;
    }
  }
}
