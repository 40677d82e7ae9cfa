package io.sluice.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * One continuously refilling token bucket: at most {@code capacity} units of {@code meter},
 * refilled at {@code capacity / period} units per unit of time. "500 requests per minute" is {@code
 * (REQUESTS, 500, 1 min)}: a full bucket admits a burst of 500, then one request every 120 ms.
 *
 * @param meter what the bucket counts
 * @param capacity the most units the bucket holds (the per-period limit)
 * @param period the time to refill an empty bucket completely
 */
public record BucketLimit(Meter meter, long capacity, Duration period) {

  public BucketLimit {
    Objects.requireNonNull(meter, "meter");
    Objects.requireNonNull(period, "period");
    if (capacity < 1) {
      throw new IllegalArgumentException(meter + " capacity must be at least 1: " + capacity);
    }
    if (period.toMillis() < 1) {
      throw new IllegalArgumentException(meter + " period must be at least 1 ms: " + period);
    }
  }

  /** A stable name of this bucket, e.g. {@code TOKENS/60s}, used as its key in stored state. */
  public String id() {
    return meter.name() + "/" + periodText();
  }

  /**
   * The meter of a bucket {@link #id()}, e.g. {@link Meter#TOKENS} of {@code TOKENS/60s}.
   *
   * @throws IllegalArgumentException when the text is not a bucket ID
   */
  public static Meter meterOf(String id) {
    return Meter.valueOf(idParts(id)[0]);
  }

  /**
   * The period of a bucket {@link #id()}, e.g. 60 s of {@code TOKENS/60s}.
   *
   * @throws IllegalArgumentException when the text is not a bucket ID
   */
  public static Duration periodOf(String id) {
    String period = idParts(id)[1];
    try {
      return period.endsWith("ms")
          ? Duration.ofMillis(Long.parseLong(period.substring(0, period.length() - 2)))
          : Duration.ofSeconds(Long.parseLong(period.substring(0, period.length() - 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("not a bucket ID METER/<period>: '" + id + "'", e);
    }
  }

  private static String[] idParts(String id) {
    String[] parts = id == null ? new String[0] : id.split("/", -1);
    if (parts.length != 2 || !parts[1].endsWith("s")) {
      throw new IllegalArgumentException("not a bucket ID METER/<period>: '" + id + "'");
    }
    return parts;
  }

  /** Length of the period in nanoseconds. */
  public long periodNanos() {
    return period.toNanos();
  }

  /** This bucket's capacity multiplied by {@code share}, rounded down (may be 0). */
  public long scaledCapacity(double share) {
    return (long) Math.floor(capacity * share);
  }

  private String periodText() {
    return period.toMillis() % 1000 == 0 ? period.toSeconds() + "s" : period.toMillis() + "ms";
  }
}
