package io.sluice.ratelimit.internal;

import java.math.BigInteger;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * Bucket arithmetic of the generic cell rate algorithm: a bucket is one number, its theoretical
 * arrival time (tat). Taking {@code n} units moves the tat forward by {@code n × period /
 * capacity}; the bucket admits as long as the tat stays within one period of now. Integer
 * nanosecond arithmetic, rounded in the safe direction (costs up, refunds and availability down).
 */
public final class Gcra {
  /** The largest cost: about 31 years, so that tat + cost never overflows. */
  private static final long MAX_COST = 1_000_000_000_000_000_000L;

  /** The latest tat: year 2116. */
  private static final long MAX_TAT = Long.MAX_VALUE / 2;

  private Gcra() {}

  /** Nanoseconds since the epoch. */
  public static long nanos(Instant instant) {
    return Math.addExact(
        Math.multiplyExact(instant.getEpochSecond(), 1_000_000_000L), instant.getNano());
  }

  /** The instant of a nanosecond timestamp. */
  public static Instant instant(long nanos) {
    return Instant.ofEpochSecond(
        Math.floorDiv(nanos, 1_000_000_000L), Math.floorMod(nanos, 1_000_000_000L));
  }

  /**
   * Refill time that {@code units} take from a bucket when admitted at {@code factor} of its rate,
   * rounded up.
   */
  public static long cost(long units, long capacity, long periodNanos, double factor) {
    long exact = mulDivCeil(units, periodNanos, capacity);
    if (factor >= 1.0) {
      return exact;
    }
    double scaled = Math.ceil(exact / factor);
    return scaled >= MAX_COST ? MAX_COST : (long) scaled + 1;
  }

  /** Refill time that {@code units} given back are worth, rounded down. */
  public static long refund(long units, long capacity, long periodNanos) {
    return mulDivFloor(units, periodNanos, capacity);
  }

  /** Units the bucket holds at {@code now}, rounded down; negative when the bucket is in debt. */
  public static long available(long tat, long now, long capacity, long periodNanos) {
    if (tat <= now) {
      return capacity;
    }
    return capacity - mulDivCeil(tat - now, capacity, periodNanos);
  }

  /**
   * The earliest time at which {@code cost} fits a bucket whose tat may run at most {@code
   * toleranceNanos} ahead of the admission (one period for the plain bucket): {@code tat + cost −
   * tolerance}, at the earliest now. A cost beyond the tolerance thus waits until the bucket has
   * been full for the difference.
   */
  public static long earliest(long tat, long now, long cost, long toleranceNanos) {
    // a tat older than now - cost gives now either way (and may be Long.MIN_VALUE: untouched)
    long base = Math.max(tat, now - cost);
    return Math.max(now, saturatedAdd(base, cost) - toleranceNanos);
  }

  /**
   * The earliest time at which {@code cost} fits and leaves room for {@code reserved} right after:
   * {@code max(tat, now) + cost + reserved − tolerance}, at the earliest now. Unlike {@link
   * #earliest} it gives no credit for a bucket that has been full for a while, since admitting
   * {@code cost} would use that credit up and leave {@code reserved} short. When {@code cost +
   * reserved} exceeds the tolerance it never fits; the answer then is a hint to ask again later.
   */
  public static long earliestBehind(
      long tat, long now, long cost, long reserved, long toleranceNanos) {
    long start = Math.max(tat, now);
    return Math.max(now, saturatedAdd(saturatedAdd(start, cost), reserved) - toleranceNanos);
  }

  /** A tat plus a cost, capped far below overflow. */
  public static long saturatedAdd(long tat, long cost) {
    return tat > MAX_TAT - cost ? MAX_TAT : tat + cost;
  }

  private static long mulDivCeil(long a, long b, long c) {
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    if (high == 0 && low >= 0) {
      return Math.min(MAX_COST, Math.ceilDiv(low, c));
    }
    return big(a, b, c, RoundingMode.CEILING);
  }

  private static long mulDivFloor(long a, long b, long c) {
    long high = Math.multiplyHigh(a, b);
    long low = a * b;
    if (high == 0 && low >= 0) {
      return Math.min(MAX_COST, Math.floorDiv(low, c));
    }
    return big(a, b, c, RoundingMode.FLOOR);
  }

  private static long big(long a, long b, long c, RoundingMode rounding) {
    BigInteger product = BigInteger.valueOf(a).multiply(BigInteger.valueOf(b));
    BigInteger[] qr = product.divideAndRemainder(BigInteger.valueOf(c));
    BigInteger q = qr[0];
    if (rounding == RoundingMode.CEILING && qr[1].signum() > 0) {
      q = q.add(BigInteger.ONE);
    }
    return q.compareTo(BigInteger.valueOf(MAX_COST)) < 0 ? q.longValue() : MAX_COST;
  }
}
