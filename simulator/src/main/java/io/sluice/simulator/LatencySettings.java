package io.sluice.simulator;

import java.time.Duration;
import java.util.SplittableRandom;

/**
 * How long a realtime call takes: {@code base} plus {@code perOutputToken} times the output tokens,
 * times a log-normal factor {@code exp(sigma × Z)} when {@code sigma} is above 0 (enforcement
 * variant e: a heavy tail; the median stays the base delay, the mean is {@code exp(sigma² / 2)}
 * times it). {@code Z} is a standard normal drawn from {@code seed} and the call's prompt, so the
 * same call waits the same in every run whatever the order of calls; it is clamped to ±4. Latency
 * is real wall time (clients must see it), unlike rate limits and batches, which follow the
 * injected clock.
 *
 * @param sigma the spread of the log-normal factor (0: none; at most 3)
 * @param seed the seed of the factor
 */
public record LatencySettings(Duration base, Duration perOutputToken, double sigma, long seed) {

  /** The default: 1 ms plus 20 µs per output token. */
  public static final LatencySettings DEFAULT =
      new LatencySettings(Duration.ofMillis(1), Duration.ofNanos(20_000));

  /** No added latency. */
  public static final LatencySettings NONE = new LatencySettings(Duration.ZERO, Duration.ZERO);

  private static final double MAX_Z = 4;

  public LatencySettings {
    if (base.isNegative() || perOutputToken.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative");
    }
    if (!(sigma >= 0 && sigma <= 3)) {
      throw new IllegalArgumentException("the latency spread sigma must be in [0, 3]: " + sigma);
    }
  }

  /** Latency without spread. */
  public LatencySettings(Duration base, Duration perOutputToken) {
    this(base, perOutputToken, 0, 42);
  }

  /** A copy whose delays are spread log-normally with this sigma (e.g. 0.5–1). */
  public LatencySettings withSpread(double value) {
    return new LatencySettings(base, perOutputToken, value, seed);
  }

  public LatencySettings withSeed(long value) {
    return new LatencySettings(base, perOutputToken, sigma, value);
  }

  /** The median delay of a call that produced this many output tokens (no spread). */
  public Duration forOutputTokens(long outputTokens) {
    return base.plus(perOutputToken.multipliedBy(outputTokens));
  }

  /** The delay of one call: the median times the call's drawn factor. */
  public Duration forCall(long outputTokens, long callSeed) {
    Duration median = forOutputTokens(outputTokens);
    if (sigma == 0) {
      return median;
    }
    double z = new SplittableRandom(seed ^ callSeed * 0x9E3779B97F4A7C15L).nextDouble();
    double factor = Math.exp(sigma * Math.max(-MAX_Z, Math.min(MAX_Z, normal(z))));
    return Duration.ofNanos(Math.round(median.toNanos() * factor));
  }

  /** The standard normal quantile of {@code p} (Acklam's approximation, ~1e-9). */
  static double normal(double p) {
    if (p <= 0) {
      return -MAX_Z;
    }
    double[] a = {
      -3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
      1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00
    };
    double[] b = {
      -5.447609879822406e+01,
      1.615858368580409e+02,
      -1.556989798598866e+02,
      6.680131188771972e+01,
      -1.328068155288572e+01
    };
    double[] c = {
      -7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
      -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00
    };
    double[] d = {
      7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00, 3.754408661907416e+00
    };
    double low = 0.02425;
    if (p < low) {
      double q = Math.sqrt(-2 * Math.log(p));
      return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    if (p > 1 - low) {
      double q = Math.sqrt(-2 * Math.log(1 - p));
      return -(((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5])
          / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
    }
    double q = p - 0.5;
    double r = q * q;
    return (((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5])
        * q
        / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
  }
}
