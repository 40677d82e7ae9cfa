package io.sluice.bench.webhooks;

import java.time.Duration;
import java.util.Collection;
import java.util.Objects;

/**
 * Percentiles of delivery latencies in milliseconds (nearest rank).
 *
 * @param count latencies measured
 * @param p50Ms the median
 * @param p99Ms the 99th percentile
 * @param maxMs the largest
 */
public record Latencies(int count, long p50Ms, long p99Ms, long maxMs) {
  public static final Latencies NONE = new Latencies(0, 0, 0, 0);

  /** Of the receipts' latencies (those without a finish time are left out). */
  public static Latencies of(Collection<Receipt> receipts) {
    long[] millis =
        receipts.stream()
            .map(Receipt::latency)
            .filter(Objects::nonNull)
            .mapToLong(Duration::toMillis)
            .sorted()
            .toArray();
    if (millis.length == 0) {
      return NONE;
    }
    return new Latencies(
        millis.length, rank(millis, 0.50), rank(millis, 0.99), millis[millis.length - 1]);
  }

  private static long rank(long[] sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
