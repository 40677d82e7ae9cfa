package io.sluice.ratelimit.internal;

import io.sluice.ratelimit.BucketLimit;
import io.sluice.ratelimit.LimitState.Drift;
import io.sluice.ratelimit.LimiterSettings.Adaptation;
import io.sluice.ratelimit.Meter;
import io.sluice.ratelimit.ProviderRateLimitReport.Observation;
import java.time.Duration;
import java.time.Instant;

/**
 * What a provider's rate-limit headers teach about one bucket beyond its configured limit, as pure
 * functions on a settable time (epoch nanoseconds):
 *
 * <ul>
 *   <li><b>the window</b>: a bucket refilling at {@code rate} that will be full at {@code reset}
 *       holds {@code remaining + rate × (reset − now)} when full. For the configured one-minute
 *       bucket that is the limit; a provider enforcing the minute's limit over 10 s shows a sixth
 *       of it, and its {@code remaining} never exceeds that, while {@code limit} still says the
 *       minute's figure;
 *   <li><b>the unseen share</b>: calibration lowers the local view by what the provider counted and
 *       the limiter did not see (another client, a provider counting calls as larger). Each such
 *       correction raises the share of the rate attributed to unseen traffic, by {@code correction
 *       / (rate × learnTime)}: a steady unseen rate {@code u} raises it by {@code u / rate} per
 *       {@code learnTime}. Admissions then cost {@code 1 / (1 − share)} of their size, so the
 *       limiter paces itself at the rate left to it instead of being corrected after the fact. The
 *       share fades when no correction renews it.
 * </ul>
 *
 * When the provider counts exactly as the limiter does, nothing is learned: its buckets are full
 * over the whole period and it never reports less remaining than the local view (calls reach it
 * after their admission here, and refunds happen there first).
 */
public final class ProviderDrift {
  // Gcra.refund(a, b, c) is floor(a × c / b): units → time is refund(units, capacity, period),
  // time → units is refund(time, period, capacity).
  private static final long ROUNDING = 500;
  private static final long SECOND_NANOS = 1_000_000_000L;

  private ProviderDrift() {}

  /** The window over which the bucket is enforced: the learned one, else its period. */
  public static long windowNanos(BucketLimit bucket, Drift drift) {
    long window = drift.windowNanos();
    return window > 0 && window < bucket.periodNanos() ? window : bucket.periodNanos();
  }

  /** The most the bucket holds at once over {@code windowNanos}, rounded down. */
  public static long windowCapacity(BucketLimit bucket, long windowNanos) {
    return Math.max(1, Gcra.refund(windowNanos, bucket.periodNanos(), bucket.capacity()));
  }

  /** What the bucket holds at {@code now} when enforced over {@code windowNanos} (may be < 0). */
  public static long available(BucketLimit bucket, long windowNanos, long tat, long now) {
    long cap = windowCapacity(bucket, windowNanos);
    if (tat <= now) {
      return cap;
    }
    long shifted =
        Gcra.saturatedAdd(tat, bucket.periodNanos() - windowNanos); // full one period later
    return Math.min(cap, Gcra.available(shifted, now, bucket.capacity(), bucket.periodNanos()));
  }

  /**
   * A bucket's tat moved from a window whose admission tolerance is {@code fromTolerance} to one
   * whose tolerance is {@code toTolerance} ({@link
   * io.sluice.ratelimit.LimiterSettings#toleranceNanos}), keeping what it holds for the next
   * admission: a tat run up to {@code now + 58 s} in a minute's window is {@code now + 8 s} in a 10
   * s window. Admission compares the tat with {@code now} plus the tolerance, so the move admits
   * nothing the old window would not have; a full bucket moved to a larger window holds only the
   * smaller window's worth.
   */
  public static long reframed(long tat, long now, long fromTolerance, long toTolerance) {
    if (toTolerance >= fromTolerance) {
      return Gcra.saturatedAdd(Math.max(tat, now), toTolerance - fromTolerance);
    }
    return tat <= now ? tat : tat - (fromTolerance - toTolerance);
  }

  /**
   * The window one observation implies: {@code remaining + rate × (reset − now)} units, as a time
   * at the bucket's rate; the period when that is within {@code deadband} of the capacity. A window
   * within 25% of the current one keeps the current one: timing and rounding move each sample a
   * little, and a new window resets the local view to the provider's remaining.
   *
   * <p>An exhausted meter's {@code reset} includes any debt (a call larger than the window leaves
   * the provider's bucket below zero), so it bounds the window from above only: the window is at
   * most what it implies, plus what rounding may hide of the remainder. That bound only ever
   * shortens the window, and only where it lies more than 25% below the current one. It is what a
   * provider enforcing the minute's limit per second shows when every call is larger than the
   * second holds: no remainder is ever left to learn the window from, and without the bound each
   * exhausted report read as another client taking most of the account.
   *
   * <p>For the report of a call the provider admitted, what it charged that call at admission on
   * this meter may be known: at least {@code charged}, or all of its window where that is less.
   * Where {@code charged} is more than the refill until the reset, the window is smaller than the
   * call, so the call left nothing that rounding could hide, and an exhausted meter bounds the
   * window by that refill alone — with the reset read as given: its latest instant where the
   * provider rounds up. This is what Anthropic's output meter shows when the minute's limit is
   * enforced per second: {@code max_tokens} is estimated at admission, at most the window's 133
   * tokens; counted with the rounding's 500, each window was taken to be five times the provider's,
   * and every call waited for it to fill. Where the provider writes its headers after settling the
   * call's output to the actual count (the simulator's endpoint does), the remainder is what that
   * actual output left, and the window read is the time the bucket takes to be full again after
   * such a call: shorter than the provider's, and what the next admission waits for there
   * (rate-limiter README, "Shorter windows").
   *
   * @param charged what the provider certainly charged the call at admission, at most its window; 0
   *     when not known
   * @return the window in nanoseconds, or {@code current} when the observation says nothing
   */
  public static long learnWindow(
      BucketLimit bucket,
      long current,
      Long remaining,
      Instant reset,
      long now,
      long deadband,
      long charged,
      Adaptation adaptation) {
    if (!adaptation.learnWindows() || remaining == null || remaining < 0 || reset == null) {
      return current;
    }
    long refill = refillOver(bucket, resetNanos(reset) - now);
    long resolution = Gcra.refund(SECOND_NANOS, bucket.periodNanos(), bucket.capacity());
    if (remaining == 0) {
      long latestRefill = refillOver(bucket, Gcra.nanos(reset) - now);
      long bound =
          charged > latestRefill ? latestRefill : refill + roundingSlack(bucket, remaining);
      if (bound >= bucket.capacity() - deadband - resolution) {
        return current;
      }
      long window = windowOf(bucket, bound);
      return current == 0 || window < current - current / 4 ? window : current;
    }
    long held = remaining + refill;
    if (held >= bucket.capacity() - deadband - resolution) {
      return 0;
    }
    long window = windowOf(bucket, held);
    return current > 0 && Math.abs(window - current) <= current / 4 ? current : window;
  }

  /**
   * The window over which the bucket holds {@code held} units, at least the time one unit takes to
   * refill: a provider admits one request at least per window, so a bound read in whole requests
   * (Anthropic's 50 requests a minute enforced per second: 0 of 0.83 left) is no shorter than one
   * request's refill, and the margin below it has room for the calls' varying delays.
   */
  private static long windowOf(BucketLimit bucket, long held) {
    long unit = Gcra.refund(1, bucket.capacity(), bucket.periodNanos());
    return Math.max(
        Math.max(1_000_000L, unit), Gcra.refund(held, bucket.capacity(), bucket.periodNanos()));
  }

  /**
   * A reset as nanoseconds since the epoch. One given to the whole second (Anthropic's RFC 3339
   * timestamps) lies anywhere in the second before it, or after it where the provider truncates:
   * take the middle of the second before it, unbiased where the provider rounds up and half a
   * second short where it truncates.
   */
  public static long resetNanos(Instant reset) {
    return Gcra.nanos(reset) - (reset.getNano() == 0 ? SECOND_NANOS / 2 : 0);
  }

  /**
   * Whether one observation shows the bucket counted in fixed windows: a provider that counts each
   * minute of the clock on its own and refills all of it at the boundary. A bucket refilling at the
   * configured rate is full at its reset, so {@code remaining + rate × (reset − now)} never exceeds
   * its capacity; a fixed window early in its minute reports nearly all of it remaining until a
   * reset that brings all of it back, which promises up to twice the capacity. A quarter above the
   * capacity is the evidence asked for (timing and rounding move a sample by a few percent). A
   * provider whose limit is higher than the configured one shows more than the capacity too, so a
   * remainder or a limit above the capacity is no evidence.
   */
  public static boolean showsFixedWindow(
      BucketLimit bucket, Observation observation, long now, Adaptation adaptation) {
    Long remaining = observation.remaining();
    if (!adaptation.learnWindows()
        || remaining == null
        || remaining <= 0
        || remaining > bucket.capacity()
        || observation.reset() == null
        || (observation.limit() != null && observation.limit() > bucket.capacity())) {
      return false;
    }
    long refill = refillOver(bucket, resetNanos(observation.reset()) - now);
    return remaining + refill > bucket.capacity() + bucket.capacity() / 4;
  }

  /**
   * Whether the bucket is taken as counted in fixed windows at {@code now}: a report showed it
   * within the last three periods (each window shows it again in its first half, whenever a call is
   * answered there).
   */
  public static boolean fixedWindow(BucketLimit bucket, Drift drift, long now) {
    long seen = Gcra.nanos(drift.fixedSeen());
    return drift.fixedSeen().isAfter(Instant.EPOCH) && now - seen <= 3 * bucket.periodNanos();
  }

  /**
   * What a fixed window lets the limiter spend now, given its {@code remaining} until a reset
   * {@code untilReset} away: the continuous local view refills at the rate until then, the
   * provider's window does not, so the view may hold only the remainder less that refill (negative:
   * the refill before the reset must go unspent). At the reset the view holds what was left of the
   * remainder, then refills through the next window at the rate: a minute's limit per minute,
   * spread over it, never a burst at the boundary.
   */
  public static long fixedWindowRemaining(BucketLimit bucket, long remaining, long untilReset) {
    return Math.min(remaining, bucket.capacity()) - refillOver(bucket, untilReset);
  }

  /** What the bucket refills over {@code nanos} (none if negative), at most its capacity. */
  private static long refillOver(BucketLimit bucket, long nanos) {
    return nanos >= bucket.periodNanos()
        ? bucket.capacity()
        : Gcra.refund(Math.max(0, nanos), bucket.periodNanos(), bucket.capacity());
  }

  /**
   * How far the provider's remaining may lie from the local view without meaning anything: the
   * calibration tolerance, and 500 for a token bucket of at least 5,000 whose remaining looks
   * rounded to thousands (Anthropic rounds token remainders; smaller buckets are not rounded).
   */
  public static long deadband(BucketLimit bucket, Long remaining, double tolerance) {
    long band = (long) Math.ceil(tolerance * bucket.capacity());
    return Math.max(band, roundingSlack(bucket, remaining));
  }

  /**
   * How far above a reported remainder the provider's real one may lie: 500 for a token bucket of
   * at least 5,000 whose remaining looks rounded to thousands (a reported 1,000 is anything in
   * [500, 1,500)), else 0. Calibration compares the local view with the top of that range: what the
   * provider certainly did not have, not what rounding hides.
   */
  public static long roundingSlack(BucketLimit bucket, Long remaining) {
    boolean rounded =
        bucket.meter() != Meter.REQUESTS
            && bucket.capacity() >= 5_000
            && remaining != null
            && remaining % 1_000 == 0;
    return rounded ? ROUNDING : 0;
  }

  /**
   * How far the window an observation of a meter with some remainder implies may lie from the
   * provider's: half a second where the reset is given to the whole second (Anthropic), which
   * places the bucket's fill anywhere in half a second either way of the {@link #resetNanos
   * reading}; 0 for OpenAI's millisecond resets.
   */
  public static long windowUncertaintyNanos(Observation observation) {
    Instant reset = observation.reset();
    return reset != null && reset.getNano() == 0 ? SECOND_NANOS / 2 : 0;
  }

  /** The unseen share at {@code now}: the learned one, faded since it was learned. */
  public static double unseenShare(Drift drift, Instant now, Adaptation adaptation) {
    if (drift.unseenShare() <= 0) {
      return 0;
    }
    double seconds = Math.max(0, (now.toEpochMilli() - drift.since().toEpochMilli()) / 1000.0);
    return drift.unseenShare() * Math.pow(1 - adaptation.decayPerSecond(), seconds);
  }

  /**
   * The unseen share after calibration lowered the local view by {@code correction} units (0 when
   * it lowered nothing), {@code sinceLast} after the bucket's previous calibration. Only
   * corrections in a steady exchange teach a rate: after a gap longer than {@code learnTime} (or at
   * the first report of a cold key) a correction is a level the view missed, not a rate, and
   * teaches nothing; and no correction counts for more than the bucket's whole rate over {@code
   * sinceLast}.
   */
  public static double learnShare(
      BucketLimit bucket,
      double share,
      long correction,
      Duration sinceLast,
      Adaptation adaptation) {
    if (correction <= 0
        || adaptation.maxUnseenShare() <= 0
        || sinceLast.isNegative()
        || sinceLast.compareTo(adaptation.learnTime()) > 0) {
      return share;
    }
    long ratePart = Gcra.refund(sinceLast.toNanos(), bucket.periodNanos(), bucket.capacity());
    double counted = Math.min(correction, Math.max(1, ratePart));
    double learnNanos = adaptation.learnTime().toNanos();
    double step = counted * bucket.periodNanos() / (bucket.capacity() * learnNanos);
    return Math.min(adaptation.maxUnseenShare(), share + step);
  }
}
