package io.sluice.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the benchmark ran on. */
public record Machine(int processors, long memoryMib, String loadAverage, String jdk, String os) {

  public static Machine current() {
    return new Machine(
        Runtime.getRuntime().availableProcessors(),
        memTotalMib(),
        currentLoadAverage(),
        System.getProperty("java.vm.vendor") + " " + System.getProperty("java.runtime.version"),
        System.getProperty("os.name")
            + " "
            + System.getProperty("os.version")
            + " "
            + System.getProperty("os.arch"));
  }

  /** The 1, 5 and 15 minute load averages, as {@code /proc/loadavg} has them. */
  public static String currentLoadAverage() {
    List<String> parts = List.of(read("/proc/loadavg").split("\\s+"));
    return parts.size() >= 3 ? String.join(" ", parts.subList(0, 3)) : "unknown";
  }

  private static long memTotalMib() {
    for (String line : read("/proc/meminfo").split("\n")) {
      if (line.startsWith("MemTotal:")) {
        return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024;
      }
    }
    return -1;
  }

  private static String read(String file) {
    try {
      return Files.readString(Path.of(file)).strip();
    } catch (IOException e) {
      return "";
    }
  }
}
