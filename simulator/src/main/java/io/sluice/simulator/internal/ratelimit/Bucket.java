package io.sluice.simulator.internal.ratelimit;

import java.time.Duration;
import java.time.Instant;

/**
 * A continuously refilling token bucket: it refills at {@code perMinute} units per minute and holds
 * at most {@code capacity} (the per-minute limit itself, or the limit of a shorter window).
 * Immutable; every operation returns the new state. The level is kept in exact integer units
 * ({@code units × 60,000,000}, i.e. the refill per microsecond equals {@code perMinute}), so tests
 * get exact answers.
 */
public record Bucket(long capacity, long perMinute, long scaledLevel, Instant asOf)
    implements Allowance {
  static final long WINDOW_MICROS = 60_000_000L;

  /** A full bucket whose capacity is its per-minute limit. */
  public static Bucket full(long capacity, Instant now) {
    return full(capacity, capacity, now);
  }

  /** A full bucket holding {@code capacity} and refilling {@code perMinute}. */
  public static Bucket full(long capacity, long perMinute, Instant now) {
    return new Bucket(capacity, perMinute, capacity * WINDOW_MICROS, now);
  }

  /**
   * The state at {@code now}, refilled for the whole microseconds since {@link #asOf()}; the rest
   * of a microsecond is counted by a later refill ({@code asOf} moves by the microseconds counted),
   * so frequent refills lose nothing.
   */
  @Override
  public Bucket refill(Instant now) {
    if (!now.isAfter(asOf)) {
      return this;
    }
    long elapsed = Math.min(2 * WINDOW_MICROS, Duration.between(asOf, now).toNanos() / 1_000);
    long level = scaledLevel + elapsed * perMinute;
    if (level >= capacity * WINDOW_MICROS) {
      return new Bucket(capacity, perMinute, capacity * WINDOW_MICROS, now);
    }
    return new Bucket(capacity, perMinute, level, asOf.plusNanos(elapsed * 1_000));
  }

  @Override
  public long available() {
    return Math.max(0, scaledLevel) / WINDOW_MICROS;
  }

  /** Whether {@code amount} units are in the bucket now. */
  public boolean has(long amount) {
    return scaledLevel >= amount * WINDOW_MICROS;
  }

  @Override
  public boolean admits(long amount) {
    return has(needed(amount));
  }

  @Override
  public Bucket take(long amount) {
    return new Bucket(capacity, perMinute, scaledLevel - amount * WINDOW_MICROS, asOf);
  }

  @Override
  public Bucket drain(long amount) {
    long level = Math.max(-capacity * WINDOW_MICROS, scaledLevel - amount * WINDOW_MICROS);
    return new Bucket(capacity, perMinute, Math.min(scaledLevel, level), asOf);
  }

  @Override
  public Bucket giveBack(long amount) {
    return new Bucket(
        capacity,
        perMinute,
        Math.min(capacity * WINDOW_MICROS, scaledLevel + amount * WINDOW_MICROS),
        asOf);
  }

  /** How long until {@code amount} units are in the bucket; zero if they are now. */
  @Override
  public Duration waitFor(long amount) {
    long missing = needed(amount) * WINDOW_MICROS - scaledLevel;
    return missing <= 0 ? Duration.ZERO : Duration.ofNanos(ceilDiv(missing, perMinute) * 1_000);
  }

  @Override
  public Duration untilFull() {
    return waitFor(capacity);
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
