package io.sluice.simulator.internal.ratelimit;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Another client of the same account (enforcement variant g): it uses {@code share} of one limit,
 * unevenly — each second of the clock its rate is the share times a factor drawn in [0.5, 1.5) from
 * the seed, the limit's name and the second, so the load depends on time alone, not on the order of
 * calls. It takes what it uses whether or not the allowance has it (at most a window's capacity of
 * debt), so the rest is left to the simulator's callers, who see it only in the headers and in
 * 429s. Mutable; used under its limiter's lock.
 */
public final class OtherClient {
  private static final long MICROS_PER_MINUTE = 60_000_000L;
  private static final Duration LONGEST_STEP = Duration.ofMinutes(2);

  private final double share;
  private final long seed;
  private final long perMinute;
  private Instant asOf;
  private double owed;

  public OtherClient(double share, long seed, String limit, long perMinute, Instant now) {
    this.share = share;
    this.seed = seed ^ limit.hashCode() * 0x9E3779B97F4A7C15L;
    this.perMinute = perMinute;
    this.asOf = now;
  }

  /** The allowance at {@code now}, refilled and with the other client's use since the last call. */
  Allowance advance(Allowance allowance, Instant now) {
    if (share == 0 || !now.isAfter(asOf)) {
      return allowance.refill(now);
    }
    Instant from = asOf;
    if (Duration.between(from, now).compareTo(LONGEST_STEP) > 0) {
      from = now.minus(LONGEST_STEP);
      allowance = allowance.refill(from);
    }
    while (from.isBefore(now)) {
      Instant next = from.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
      Instant to = next.isBefore(now) ? next : now;
      allowance = allowance.refill(to);
      owed += use(from, to);
      long whole = (long) owed;
      owed -= whole;
      allowance = allowance.drain(whole);
      from = to;
    }
    asOf = now;
    return allowance;
  }

  /**
   * What the client takes between two instants, in the limit's units (before rounding to whole
   * units): a pure function of time, for tests and benchmarks that measure the share it leaves.
   */
  public double use(Instant from, Instant to) {
    double used = 0;
    while (from.isBefore(to)) {
      Instant next = from.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
      Instant end = next.isBefore(to) ? next : to;
      used += share * perMinute * factor(from.getEpochSecond()) * micros(from, end);
      from = end;
    }
    return used / MICROS_PER_MINUTE;
  }

  /** The load factor of one second of the clock, in [0.5, 1.5). */
  double factor(long epochSecond) {
    long z = seed + epochSecond * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return 0.5 + (z >>> 11) * 0x1.0p-53;
  }

  private static long micros(Instant from, Instant to) {
    return Duration.between(from, to).toNanos() / 1_000;
  }
}
