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

  /** CPU seconds so far of every process whose command is {@code command} (PostgreSQL's: {@code postgres}), by pid. */
  public static Map<Long, Double> cpuSecondsByPid(String command) {
    Map<Long, Double> seconds = new HashMap<>();
    try (Stream<Path> processes = Files.list(Path.of("/proc"))) {
      processes.filter(dir -> dir.getFileName().toString().chars().allMatch(Character::isDigit)).forEach(dir -> {
        long pid = Long.parseLong(dir.getFileName().toString());
        if (command.equals(command(pid))) {
          seconds.put(pid, cpuSeconds(pid));
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return seconds;
  }

  /** The CPU seconds those processes used since {@code before} (one that started since counts in full). */
  public static double cpuSecondsSince(Map<Long, Double> before, String command) {
    Map<Long, Double> after = cpuSecondsByPid(command);
    return after.entrySet().stream().mapToDouble(entry -> entry.getValue() - before.getOrDefault(entry.getKey(), 0.0))
        .sum();
  }

  private static String command(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", String.valueOf(pid), "stat"));
      return stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
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
