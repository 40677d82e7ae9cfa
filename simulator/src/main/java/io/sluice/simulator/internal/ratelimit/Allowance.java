package io.sluice.simulator.internal.ratelimit;

import io.sluice.simulator.Enforcement;
import java.time.Duration;
import java.time.Instant;

/**
 * What is left of one per-minute limit: a continuously refilling {@link Bucket} or a {@link
 * FixedWindow} counter. Immutable; every operation returns the new state. Over a window shorter
 * than a minute ({@link #capacity()} below {@link #perMinute()}), a call larger than the window's
 * capacity is admitted when the window is full and leaves it in debt; over a whole minute, a call
 * larger than the limit never fits.
 */
public sealed interface Allowance permits Bucket, FixedWindow {

  /** A full allowance of a per-minute limit, enforced as {@code enforcement} says. */
  static Allowance of(Enforcement enforcement, long perMinute, Instant now) {
    long capacity = enforcement.windowCapacity(perMinute);
    return enforcement.fixedWindow()
        ? FixedWindow.fresh(capacity, perMinute, enforcement.window(), now)
        : Bucket.full(capacity, perMinute, now);
  }

  /** The most the allowance holds at once: the limit over its window. */
  long capacity();

  /** The published per-minute limit. */
  long perMinute();

  /** The state at {@code now}. */
  Allowance refill(Instant now);

  /** Whole units available now (call on a refilled allowance). */
  long available();

  /** Whether a call of {@code amount} units is admitted now. */
  boolean admits(long amount);

  /** The allowance with {@code amount} units taken (no floor: reconciling may go into debt). */
  Allowance take(long amount);

  /**
   * The allowance with {@code amount} units taken by something that was not admitted (a refused
   * call, another client): at most one window's capacity of debt.
   */
  Allowance drain(long amount);

  /** The allowance with {@code amount} units given back, at most up to full. */
  Allowance giveBack(long amount);

  /** How long until a call of {@code amount} units would be admitted; zero if it is now. */
  Duration waitFor(long amount);

  /** How long until the allowance is full again (the {@code reset} headers). */
  Duration untilFull();

  /** What a call of {@code amount} units needs available to be admitted. */
  default long needed(long amount) {
    return capacity() < perMinute() ? Math.min(amount, capacity()) : amount;
  }
}
