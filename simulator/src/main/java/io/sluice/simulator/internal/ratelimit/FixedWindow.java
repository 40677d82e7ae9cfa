package io.sluice.simulator.internal.ratelimit;

import java.time.Duration;
import java.time.Instant;

/**
 * A fixed-window counter: at most {@code capacity} units in each window of the clock ({@code
 * window} long, aligned to the epoch, so a minute window runs from :00 to :00), reset at the
 * boundary. Debt (units taken beyond the capacity) carries into the next windows. Immutable.
 *
 * @param used units taken in the current window (above {@code capacity}: debt)
 * @param start the start of the current window
 * @param asOf the instant of the last refill
 */
public record FixedWindow(
    long capacity, long perMinute, Duration window, long used, Instant start, Instant asOf)
    implements Allowance {

  /** An unused counter at {@code now}. */
  public static FixedWindow fresh(long capacity, long perMinute, Duration window, Instant now) {
    return new FixedWindow(capacity, perMinute, window, 0, windowStart(now, window), now);
  }

  @Override
  public FixedWindow refill(Instant now) {
    if (!now.isAfter(asOf)) {
      return this;
    }
    Instant current = windowStart(now, window);
    long passed = Duration.between(start, current).toMillis() / window.toMillis();
    long left = passed >= used / capacity + 1 ? 0 : Math.max(0, used - passed * capacity);
    return new FixedWindow(capacity, perMinute, window, left, current, now);
  }

  @Override
  public long available() {
    return Math.max(0, capacity - used);
  }

  @Override
  public boolean admits(long amount) {
    return used + needed(amount) <= capacity;
  }

  @Override
  public FixedWindow take(long amount) {
    return new FixedWindow(capacity, perMinute, window, used + amount, start, asOf);
  }

  @Override
  public FixedWindow drain(long amount) {
    long level = Math.min(2 * capacity, used + amount);
    return new FixedWindow(capacity, perMinute, window, Math.max(used, level), start, asOf);
  }

  @Override
  public FixedWindow giveBack(long amount) {
    return new FixedWindow(capacity, perMinute, window, Math.max(0, used - amount), start, asOf);
  }

  @Override
  public Duration waitFor(long amount) {
    if (admits(amount)) {
      return Duration.ZERO;
    }
    long room = capacity - needed(amount);
    long windows = room < 0 ? 1 : Math.max(1, Math.ceilDiv(used - room, capacity));
    return untilWindow(windows);
  }

  @Override
  public Duration untilFull() {
    return used <= 0 ? Duration.ZERO : untilWindow(Math.ceilDiv(used, capacity));
  }

  private Duration untilWindow(long windows) {
    Duration wait = Duration.between(asOf, start.plus(window.multipliedBy(windows)));
    return wait.isNegative() ? Duration.ZERO : wait;
  }

  private static Instant windowStart(Instant now, Duration window) {
    long millis = window.toMillis();
    return Instant.ofEpochMilli(Math.floorDiv(now.toEpochMilli(), millis) * millis);
  }
}
