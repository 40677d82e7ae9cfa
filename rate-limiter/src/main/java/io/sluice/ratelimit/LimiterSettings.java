package io.sluice.ratelimit;

import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of the limiter; {@link #defaults()} suits production. All instances sharing a key must use
 * the same {@code staleAfter}, {@code fallbackFor} and {@code clockSkewMargin}.
 *
 * @param staleAfter an instance not seen for longer is assumed unable to reach the store; call
 *     {@link RateLimiter#heartbeat()} well within it (e.g. every third of it)
 * @param fallbackFor how long an instance that lost the store may admit from its local share; the
 *     others hold that share back for as long. 0 disables the fallback (the instance then admits
 *     nothing while the store is unreachable)
 * @param clockSkewMargin the most the clocks of two instances may differ
 * @param concurrencyRetry the polling hint returned when the concurrency cap blocks
 * @param defaultRetryAfter the pause after a 429 that carried no retry hint
 * @param throttleDecrease the admission rate is multiplied by this after a 429 (0..1)
 * @param throttleFloor the admission rate never goes below this share of the limit (0..1)
 * @param throttleRecoveryPerSecond how fast the admission rate climbs back to the full limit
 * @param calibrationTolerance share of a bucket's capacity by which provider-reported remaining
 *     capacity may lie below the local view before calibration lowers it (absorbs rounding such as
 *     Anthropic's nearest thousand)
 * @param storeProbeInterval how often an instance that lost the store checks whether it is back
 */
public record LimiterSettings(
    Duration staleAfter,
    Duration fallbackFor,
    Duration clockSkewMargin,
    Duration concurrencyRetry,
    Duration defaultRetryAfter,
    double throttleDecrease,
    double throttleFloor,
    double throttleRecoveryPerSecond,
    double calibrationTolerance,
    Duration storeProbeInterval) {

  public LimiterSettings {
    Objects.requireNonNull(staleAfter, "staleAfter");
    Objects.requireNonNull(fallbackFor, "fallbackFor");
    Objects.requireNonNull(clockSkewMargin, "clockSkewMargin");
    Objects.requireNonNull(concurrencyRetry, "concurrencyRetry");
    Objects.requireNonNull(defaultRetryAfter, "defaultRetryAfter");
    Objects.requireNonNull(storeProbeInterval, "storeProbeInterval");
    requireFraction("throttleDecrease", throttleDecrease);
    requireFraction("throttleFloor", throttleFloor);
    requireFraction("calibrationTolerance", calibrationTolerance);
    if (throttleRecoveryPerSecond < 0) {
      throw new IllegalArgumentException("throttleRecoveryPerSecond must not be negative");
    }
    if (staleAfter.compareTo(clockSkewMargin.multipliedBy(2)) <= 0) {
      throw new IllegalArgumentException("staleAfter must exceed twice the clockSkewMargin");
    }
  }

  /**
   * Stale after 3 s, fallback for 10 s, 250 ms clock skew, 1 s pause after a 429 without hint, rate
   * ×0.8 per 429 (floor 0.5) recovering 1% per second, 2% calibration tolerance.
   */
  public static LimiterSettings defaults() {
    return new LimiterSettings(
        Duration.ofSeconds(3),
        Duration.ofSeconds(10),
        Duration.ofMillis(250),
        Duration.ofMillis(50),
        Duration.ofSeconds(1),
        0.8,
        0.5,
        0.01,
        0.02,
        Duration.ofSeconds(1));
  }

  /** The same settings with another stale time and fallback duration. */
  public LimiterSettings withFailover(Duration staleAfter, Duration fallbackFor) {
    return new LimiterSettings(
        staleAfter,
        fallbackFor,
        clockSkewMargin,
        concurrencyRetry,
        defaultRetryAfter,
        throttleDecrease,
        throttleFloor,
        throttleRecoveryPerSecond,
        calibrationTolerance,
        storeProbeInterval);
  }

  private static void requireFraction(String name, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be between 0 and 1: " + value);
    }
  }
}
