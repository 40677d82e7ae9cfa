package io.sluice.ratelimit;

import java.time.Duration;
import java.time.Instant;

/**
 * A provider's token bucket that does not count the way Sluice does, for tests on a manual clock:
 * it is enforced over a window shorter than the minute (holding {@code limit × window / 1 min} at
 * once, refilling at the minute's rate), charges each call {@code bias} × its input tokens plus its
 * output tokens, and shares the account with another client that uses {@code otherShare} of the
 * rate, unevenly (each second at a rate drawn in [0.5, 1.5) of its share, from the second). It
 * answers like the simulator's headers: {@code limit} is the minute's, {@code remaining} and {@code
 * reset} are the window's.
 */
final class ProviderStandIn {
  private static final long MINUTE_NANOS = 60_000_000_000L;
  private final long perMinute;
  private final double windowCapacity;
  private final double perNano;
  private final double bias;
  private final double otherShare;
  private final boolean fixedWindow;
  private double level;
  private long asOf;

  ProviderStandIn(long perMinute, Duration window, double bias, double otherShare, Instant now) {
    this(perMinute, window, bias, otherShare, false, now);
  }

  /**
   * A provider that counts each minute of the clock on its own (from :00 to :00), refilled whole at
   * the boundary and not before: the fixed-window counter of the simulator's variant (c). Its
   * {@code reset} is the next boundary (later where debt carries over).
   */
  static ProviderStandIn fixedMinute(long perMinute, Instant now) {
    return new ProviderStandIn(perMinute, Duration.ofMinutes(1), 1.0, 0.0, true, now);
  }

  private ProviderStandIn(
      long perMinute,
      Duration window,
      double bias,
      double otherShare,
      boolean fixedWindow,
      Instant now) {
    this.fixedWindow = fixedWindow;
    this.perMinute = perMinute;
    this.windowCapacity = Math.ceil(perMinute * (double) window.toNanos() / 60e9);
    this.perNano = perMinute / 60e9;
    this.bias = bias;
    this.otherShare = otherShare;
    this.level = windowCapacity;
    this.asOf = nanos(now);
  }

  /** What the provider charges for a call of {@code input} + {@code output} estimated tokens. */
  long charge(long input, long output) {
    return (long) Math.ceil(input * bias) + output;
  }

  /** Counts a call of {@code cost} tokens arriving now; false means 429 (refusals are free). */
  boolean admit(long cost, Instant now) {
    advance(now);
    boolean fits = cost > windowCapacity ? level >= windowCapacity : level >= cost;
    if (fits) {
      level -= cost;
    }
    return fits;
  }

  /** Gives back tokens a call did not use (only where the provider adjusts to actual output). */
  void giveBack(long tokens, Instant now) {
    advance(now);
    level = Math.min(windowCapacity, level + tokens);
  }

  /** The rate-limit headers as of now. */
  ProviderRateLimitReport report(Instant now) {
    advance(now);
    long remaining = (long) Math.max(0, Math.floor(level));
    long untilFull =
        fixedWindow
            ? untilBoundary(level < 0 ? 2 : 1)
            : (long) Math.ceil((windowCapacity - level) / perNano);
    return ProviderRateLimitReport.builder()
        .tokens(perMinute, remaining, now.plusNanos(untilFull))
        .build();
  }

  /** How long until {@code cost} fits (a retry hint). */
  Duration retryAfter(long cost, Instant now) {
    advance(now);
    double needed = Math.min(cost, windowCapacity) - level;
    if (fixedWindow) {
      return Duration.ofNanos(needed <= 0 ? 0 : untilBoundary(level < 0 ? 2 : 1));
    }
    return Duration.ofNanos(Math.max(0, (long) Math.ceil(needed / perNano)));
  }

  private void advance(Instant now) {
    long to = nanos(now);
    if (fixedWindow) {
      long minutes = Math.floorDiv(to, MINUTE_NANOS) - Math.floorDiv(asOf, MINUTE_NANOS);
      if (minutes > 0) {
        level = Math.min(windowCapacity, level + minutes * windowCapacity);
      }
      asOf = Math.max(asOf, to);
      return;
    }
    while (asOf < to) {
      long next = Math.min(to, (Math.floorDiv(asOf, 1_000_000_000L) + 1) * 1_000_000_000L);
      double other = otherShare * loadFactor(Math.floorDiv(asOf, 1_000_000_000L));
      level = Math.min(windowCapacity, level + (next - asOf) * perNano);
      level = Math.max(-windowCapacity, level - (next - asOf) * perNano * other);
      asOf = next;
    }
  }

  private long untilBoundary(long minutes) {
    return (Math.floorDiv(asOf, MINUTE_NANOS) + minutes) * MINUTE_NANOS - asOf;
  }

  private static double loadFactor(long second) {
    long z = second * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return 0.5 + (z >>> 11) * 0x1.0p-53;
  }

  private static long nanos(Instant instant) {
    return instant.getEpochSecond() * 1_000_000_000L + instant.getNano();
  }
}
