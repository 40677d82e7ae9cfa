package io.sluice.bench.webhooks;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.TreeMap;

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

  /**
   * The latencies of the receipts whose job finished in each {@code period} from {@code start}: one
   * entry per period up to the last finish (empty periods {@link #NONE}).
   */
  public static List<Latencies> byFinish(
      Collection<Receipt> receipts, Instant start, Duration period) {
    TreeMap<Long, List<Receipt>> periods = new TreeMap<>();
    for (Receipt receipt : receipts) {
      if (receipt.finishedAt() != null) {
        long index =
            Math.max(0, Duration.between(start, receipt.finishedAt()).toMillis())
                / period.toMillis();
        periods.computeIfAbsent(index, i -> new ArrayList<>()).add(receipt);
      }
    }
    if (periods.isEmpty()) {
      return List.of();
    }
    long last = periods.lastKey();
    List<Latencies> result = new ArrayList<>();
    for (long i = 0; i <= last; i++) {
      result.add(of(periods.getOrDefault(i, List.of())));
    }
    return result;
  }

  /** The latencies of the receipts whose job finished at or after {@code from}. */
  public static Latencies finishedFrom(Collection<Receipt> receipts, Instant from) {
    return of(
        receipts.stream()
            .filter(r -> r.finishedAt() != null && !r.finishedAt().isBefore(from))
            .toList());
  }

  private static long rank(long[] sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
  }
}
