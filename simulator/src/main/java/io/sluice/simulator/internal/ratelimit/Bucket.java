package io.sluice.simulator.internal.ratelimit;

import java.time.Duration;
import java.time.Instant;

/**
 * A continuously refilling token bucket whose capacity is a per-minute limit: it refills at {@code
 * capacity} per minute and holds at most {@code capacity}. Immutable; every operation returns the
 * new state. The level is kept in exact integer units ({@code tokens × 60,000,000}, i.e. refill per
 * microsecond equals the capacity), so tests get exact answers.
 */
public record Bucket(long capacity, long scaledLevel, Instant asOf) {
  static final long WINDOW_MICROS = 60_000_000L;

  /** A full bucket at {@code now}. */
  public static Bucket full(long capacity, Instant now) {
    return new Bucket(capacity, capacity * WINDOW_MICROS, now);
  }

  /**
   * The state at {@code now}, refilled for the whole microseconds since {@link #asOf()}; the rest
   * of a microsecond is counted by a later refill ({@code asOf} moves by the microseconds counted),
   * so frequent refills lose nothing.
   */
  public Bucket refill(Instant now) {
    if (!now.isAfter(asOf)) {
      return this;
    }
    long elapsed = Math.min(WINDOW_MICROS, Duration.between(asOf, now).toNanos() / 1_000);
    long level = scaledLevel + elapsed * capacity;
    if (level >= capacity * WINDOW_MICROS) {
      return new Bucket(capacity, capacity * WINDOW_MICROS, now);
    }
    return new Bucket(capacity, level, asOf.plusNanos(elapsed * 1_000));
  }

  /** Whole units available now (call on a refilled bucket). */
  public long available() {
    return Math.max(0, scaledLevel) / WINDOW_MICROS;
  }

  /** Whether {@code amount} units can be taken now. */
  public boolean has(long amount) {
    return scaledLevel >= amount * WINDOW_MICROS;
  }

  /** The bucket with {@code amount} units taken (may go below zero only when reconciling). */
  public Bucket take(long amount) {
    return new Bucket(capacity, scaledLevel - amount * WINDOW_MICROS, asOf);
  }

  /** The bucket with {@code amount} units given back, at most up to full. */
  public Bucket giveBack(long amount) {
    return new Bucket(
        capacity, Math.min(capacity * WINDOW_MICROS, scaledLevel + amount * WINDOW_MICROS), asOf);
  }

  /** How long until {@code amount} units are available; zero if they are now. */
  public Duration waitFor(long amount) {
    long missing = amount * WINDOW_MICROS - scaledLevel;
    return missing <= 0 ? Duration.ZERO : Duration.ofNanos(ceilDiv(missing, capacity) * 1_000);
  }

  /** How long until the bucket is full again. */
  public Duration untilFull() {
    return waitFor(capacity);
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }
}
