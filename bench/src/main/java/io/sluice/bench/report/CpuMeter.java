package io.sluice.bench.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine's CPU use between two readings of {@code /proc/stat} (all cores, 0..1). */
public record CpuMeter(long busy, long total) {

  public static CpuMeter read() {
    try {
      String[] fields = Files.readAllLines(Path.of("/proc/stat")).getFirst().trim().split("\\s+");
      long total = 0;
      for (int i = 1; i < fields.length; i++) {
        total += Long.parseLong(fields[i]);
      }
      long idle = Long.parseLong(fields[4]) + Long.parseLong(fields[5]);
      return new CpuMeter(total - idle, total);
    } catch (IOException | RuntimeException e) {
      return new CpuMeter(0, 0);
    }
  }

  /** The share of all cores busy since {@code earlier}, or -1 when unknown. */
  public double busySince(CpuMeter earlier) {
    long dt = total - earlier.total;
    return dt <= 0 ? -1 : (double) (busy - earlier.busy) / dt;
  }
}
