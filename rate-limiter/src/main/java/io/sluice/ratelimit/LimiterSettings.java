package io.sluice.ratelimit;

import io.sluice.ratelimit.internal.ProviderDrift;
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
 * @param callDelay the longest a call may take from its admission here to the instant the provider
 *     counts it (the wait for the store's row lock, the HTTP client's first connection, the
 *     network, the provider's parsing). A provider bucket that is full when the limiter admits a
 *     call stays full, losing refill, until the call arrives, so the limiter's view would run ahead
 *     of the provider's by up to {@code rate × callDelay}; every bucket therefore admits a burst
 *     that much smaller (at most half its capacity), its rate is unchanged. It must also cover the
 *     provider's clock granularity: a provider that refills in whole microseconds (the simulator)
 *     credits refill up to 1 µs late, as if the call came 1 µs later still. 0 models a provider
 *     that counts every call, to the nanosecond, at the instant of its admission. Within a window
 *     shorter than the period, learned from the headers, the margin is sized otherwise ({@link
 *     #marginNanos})
 * @param waiterGrace how long a deferred demand keeps its place in the shared queue after the
 *     instant it was told to ask again: an instance that does not come back by then (it gave the
 *     task away, or died) loses the place, and the capacity set aside for it is free again
 * @param maxWaiters how many deferred demands the shared queue holds at most; a demand deferred
 *     while it is full waits without a place (the queue keeps the oldest)
 * @param biasLearning how the ratio of the provider's input-token count to the estimate is learned
 * @param adaptation how a bucket's shorter enforcement window and the share of its rate used by
 *     traffic Sluice does not see are learned from the provider's headers
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
    Duration storeProbeInterval,
    Duration callDelay,
    Duration waiterGrace,
    int maxWaiters,
    BiasLearning biasLearning,
    Adaptation adaptation) {

  public LimiterSettings {
    Objects.requireNonNull(staleAfter, "staleAfter");
    Objects.requireNonNull(fallbackFor, "fallbackFor");
    Objects.requireNonNull(clockSkewMargin, "clockSkewMargin");
    Objects.requireNonNull(concurrencyRetry, "concurrencyRetry");
    Objects.requireNonNull(defaultRetryAfter, "defaultRetryAfter");
    Objects.requireNonNull(storeProbeInterval, "storeProbeInterval");
    Objects.requireNonNull(callDelay, "callDelay");
    if (callDelay.isNegative()) {
      throw new IllegalArgumentException("callDelay must not be negative: " + callDelay);
    }
    Objects.requireNonNull(waiterGrace, "waiterGrace");
    Objects.requireNonNull(biasLearning, "biasLearning");
    Objects.requireNonNull(adaptation, "adaptation");
    if (waiterGrace.isNegative()) {
      throw new IllegalArgumentException("waiterGrace must not be negative: " + waiterGrace);
    }
    if (maxWaiters < 0) {
      throw new IllegalArgumentException("maxWaiters must not be negative: " + maxWaiters);
    }
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
   * ×0.8 per 429 (floor 0.5) recovering 1% per second, 2% calibration tolerance, calls counted by
   * the provider up to 2 s after their admission, a deferred demand's place in the queue kept 3 s
   * beyond its retry instant (at most 16 places), the estimate bias learned between 0.5 and 2.0,
   * shorter windows and unseen traffic learned from the headers ({@link Adaptation#defaults()}).
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
        Duration.ofSeconds(1),
        Duration.ofSeconds(2),
        Duration.ofSeconds(3),
        16,
        BiasLearning.defaults(),
        Adaptation.defaults());
  }

  /**
   * How the input-token estimate's bias is learned from reconciled calls: each call's ratio of
   * actual to estimated input, bounded to {@code [min, max]}, moves the factor towards it by {@code
   * rise} of the difference when it is above the factor, by {@code fall} when below. Rising faster
   * than falling keeps the correction on the safe side: an under-estimate costs a 429, an
   * over-estimate only a little idle capacity.
   *
   * @param min the lowest factor (0 &lt; min ≤ 1)
   * @param max the highest factor (≥ 1)
   * @param rise the weight of a ratio above the factor (0..1)
   * @param fall the weight of a ratio below the factor (0..1)
   * @param minSampleTokens calls estimated below this many input tokens teach nothing (their ratio
   *     is mostly framing and rounding)
   */
  public record BiasLearning(
      double min, double max, double rise, double fall, long minSampleTokens) {
    public BiasLearning {
      if (!(min > 0 && min <= 1 && max >= 1)) {
        throw new IllegalArgumentException(
            "bias bounds must satisfy 0 < min <= 1 <= max: " + min + ", " + max);
      }
      requireFraction("bias rise", rise);
      requireFraction("bias fall", fall);
      if (minSampleTokens < 1) {
        throw new IllegalArgumentException("minSampleTokens must be positive: " + minSampleTokens);
      }
    }

    /**
     * Between 0.5 and 2.0, rising by 20% of a difference, falling by 5%, from 50 tokens. The floor
     * lets the conservative estimate of Claude prompts (3.5 characters a token) come down to the
     * provider's count where the text tokenizes well: at 0.8 such reservations stayed ~45% too
     * large, and a call reserved larger than a short window waits for a full window.
     */
    public static BiasLearning defaults() {
      return new BiasLearning(0.5, 2.0, 0.2, 0.05, 50);
    }

    /** No learning: the factor stays 1. */
    public static BiasLearning off() {
      return new BiasLearning(1.0, 1.0, 0, 0, 1);
    }

    /**
     * The factor after one reconciled call that was estimated at {@code estimated} input tokens.
     */
    public double learn(double factor, long estimated, long actual) {
      if (estimated < minSampleTokens) {
        return factor;
      }
      double ratio = Math.max(min, Math.min(max, (double) actual / estimated));
      double weight = ratio > factor ? rise : fall;
      return Math.max(min, Math.min(max, factor + weight * (ratio - factor)));
    }
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
        storeProbeInterval,
        callDelay,
        waiterGrace,
        maxWaiters,
        biasLearning,
        adaptation);
  }

  /** The same settings with another {@link #callDelay()}. */
  public LimiterSettings withCallDelay(Duration delay) {
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
        storeProbeInterval,
        delay,
        waiterGrace,
        maxWaiters,
        biasLearning,
        adaptation);
  }

  /** The same settings with another {@link #biasLearning()}. */
  public LimiterSettings withBiasLearning(BiasLearning learning) {
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
        storeProbeInterval,
        callDelay,
        waiterGrace,
        maxWaiters,
        learning,
        adaptation);
  }

  /** The same settings with another queue: {@code maxWaiters} 0 turns fairness off. */
  public LimiterSettings withWaiters(Duration grace, int max) {
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
        storeProbeInterval,
        callDelay,
        grace,
        max,
        biasLearning,
        adaptation);
  }

  /** The same settings with another {@link #adaptation()}. */
  public LimiterSettings withAdaptation(Adaptation newAdaptation) {
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
        storeProbeInterval,
        callDelay,
        waiterGrace,
        maxWaiters,
        biasLearning,
        newAdaptation);
  }

  /**
   * How the limiter adapts a bucket to what the provider's headers show (see {@code
   * io.sluice.ratelimit.internal.ProviderDrift}).
   *
   * @param learnWindows whether a shorter enforcement window is inferred from {@code remaining +
   *     rate × (reset − now)} (a provider enforcing "500 per minute" as "83 per 10 s")
   * @param learnTime the time constant of the unseen-share learning: a steady unseen rate {@code u}
   *     that calibration keeps correcting raises the share by {@code u / rate} per {@code
   *     learnTime}
   * @param decayPerSecond how fast a learned unseen share fades when nothing renews it (a share of
   *     its value per second)
   * @param maxUnseenShare the largest share of a bucket's rate attributed to unseen traffic (0
   *     turns the unseen-share learning off)
   */
  public record Adaptation(
      boolean learnWindows, Duration learnTime, double decayPerSecond, double maxUnseenShare) {
    public Adaptation {
      Objects.requireNonNull(learnTime, "learnTime");
      if (learnTime.toMillis() < 1) {
        throw new IllegalArgumentException("learnTime must be at least 1 ms: " + learnTime);
      }
      requireFraction("decayPerSecond", decayPerSecond);
      if (!(maxUnseenShare >= 0 && maxUnseenShare < 1)) {
        throw new IllegalArgumentException("maxUnseenShare must be in [0, 1): " + maxUnseenShare);
      }
    }

    /** Windows learned; unseen share learned over 10 s, fading 0.3% per second, at most 0.9. */
    public static Adaptation defaults() {
      return new Adaptation(true, Duration.ofSeconds(10), 0.003, 0.9);
    }

    /** Neither learned: every bucket is one period, calibration only lowers the level. */
    public static Adaptation off() {
      return new Adaptation(false, Duration.ofSeconds(5), 0, 0);
    }
  }

  /**
   * How far ahead of now a bucket's tat may run after an admission, given what the headers taught
   * about it: its window (the period unless a shorter one was learned) less {@link #marginNanos its
   * margin}.
   */
  public long toleranceNanos(BucketLimit bucket, LimitState.Drift drift) {
    long window = ProviderDrift.windowNanos(bucket, drift);
    return window - marginNanos(bucket, drift);
  }

  /**
   * The margin a bucket's admissions keep below its window for calls that reach the provider later
   * than their admission here (at most half the window). A bucket enforced over its whole period
   * keeps the {@link #callDelay()}: the first call after an idle spell meets a full provider bucket
   * that loses refill until the call arrives. Within a shorter window the provider learned from the
   * headers, a call larger than what the window holds waits for the window to have been full for
   * the margin, and that refill is lost on every such call: half of a 1 s window kept 74% of the
   * limit in use. Such a window keeps the margin set when it was learned ({@link
   * #learnedMarginNanos}) and widened by 429s ({@link #widenedMarginNanos}).
   */
  public long marginNanos(BucketLimit bucket, LimitState.Drift drift) {
    long window = ProviderDrift.windowNanos(bucket, drift);
    long delay = callDelay.toNanos();
    if (window == bucket.periodNanos()) {
      return Math.min(delay, window / 2);
    }
    long margin = drift.marginNanos() > 0 ? drift.marginNanos() : learnedMarginNanos(window, 0);
    return Math.min(margin, window / 2);
  }

  /**
   * The margin of a window just learned from a report: a tenth of it, at most the {@link
   * #callDelay()} (the calls' delays vary by far less than they last), plus how far the report
   * leaves the window uncertain ({@code uncertaintyNanos}, {@link
   * ProviderDrift#windowUncertaintyNanos}), since a view of the window larger than the provider's
   * would let a burst through that the provider refuses. What 429s taught of the previous window
   * does not carry over.
   */
  public long learnedMarginNanos(long windowNanos, long uncertaintyNanos) {
    return Math.min(callDelay.toNanos(), windowNanos / 10) + uncertaintyNanos;
  }

  /**
   * The margin after a 429: twice the present one, at most half the window. A window only bounded
   * from above ({@link LimitState.Drift#windowBounded}) takes half of itself at once: when the
   * provider's window fills again there is known only from the calls' estimates, and a 429 says
   * they are off by more than the margin.
   */
  public long widenedMarginNanos(BucketLimit bucket, LimitState.Drift drift) {
    long window = ProviderDrift.windowNanos(bucket, drift);
    if (drift.windowBounded()) {
      return window / 2;
    }
    return Math.min(window / 2, Math.max(1, 2 * marginNanos(bucket, drift)));
  }

  private static void requireFraction(String name, double value) {
    if (!(value >= 0 && value <= 1)) {
      throw new IllegalArgumentException(name + " must be between 0 and 1: " + value);
    }
  }
}
