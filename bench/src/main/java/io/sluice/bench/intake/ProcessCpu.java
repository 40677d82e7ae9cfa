package io.sluice.bench.intake;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * CPU time of processes from {@code /proc/<pid>/stat}: user + system time, and the same for a
 * process and all its descendants (PostgreSQL's postmaster and its backends).
 */
public final class ProcessCpu {
  /** Linux's USER_HZ: the unit of the stat file's times. */
  private static final double TICKS_PER_SECOND = 100.0;

  private static final int UTIME = 13;
  private static final int STIME = 14;

  private ProcessCpu() {}

  /** CPU seconds of one process so far; 0 when it is gone. */
  public static double seconds(long pid) {
    try {
      return fromStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  /** The process's and its living descendants' CPU seconds. */
  public static double treeSeconds(long pid) {
    double total = seconds(pid);
    List<ProcessHandle> descendants =
        ProcessHandle.of(pid).map(h -> h.descendants().toList()).orElse(List.of());
    for (ProcessHandle descendant : descendants) {
      total += seconds(descendant.pid());
    }
    return total;
  }

  /** User + system seconds of a {@code /proc/<pid>/stat} line. */
  static double fromStat(String stat) {
    // the command name (field 2) is in parentheses and may hold spaces: count fields after it
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    int offset = 2; // fields[0] is field 3 (state)
    long ticks = Long.parseLong(fields[UTIME - offset]) + Long.parseLong(fields[STIME - offset]);
    return ticks / TICKS_PER_SECOND;
  }
}
