package io.sluice.workers.internal;

import java.time.Duration;
import java.util.Arrays;

/** The most recent waits (up to a fixed number), for percentiles. Thread-safe. */
final class WaitSample {
  private final long[] nanos;
  private long count;

  WaitSample(int capacity) {
    this.nanos = new long[capacity];
  }

  synchronized void add(Duration wait) {
    nanos[(int) (count++ % nanos.length)] = Math.max(0, wait.toNanos());
  }

  /** The {@code p}-th percentile (0..1) of the sample, zero when it is empty. */
  Duration percentile(double p) {
    long[] sorted;
    synchronized (this) {
      sorted = Arrays.copyOf(nanos, (int) Math.min(count, nanos.length));
    }
    if (sorted.length == 0) {
      return Duration.ZERO;
    }
    Arrays.sort(sorted);
    int index = (int) Math.min(sorted.length - 1, Math.floor(p * sorted.length));
    return Duration.ofNanos(sorted[index]);
  }
}
