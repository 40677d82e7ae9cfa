package io.sluice.workers;

import io.sluice.providers.ProviderException;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.workers.internal.ProviderErrors;
import java.time.Duration;

/**
 * What to do after a failed provider call: a pure function of the attempt number, the failure and a
 * random number, so that it can be tested exhaustively. Only {@linkplain
 * ProviderException#isRetriable() retriable} failures are retried, at most {@code maxAttempts}
 * calls in all, after an exponential backoff with jitter, and never sooner than the provider's
 * {@code retry-after}.
 *
 * @param maxAttempts the most provider calls per task, at least 1
 * @param initialBackoff the delay after the first failure, before jitter
 * @param maxBackoff the longest computed delay (a longer {@code retry-after} still wins)
 * @param multiplier how much the delay grows per attempt, at least 1
 * @param jitter the share of the delay that is randomised, 0 (none) to 1 (anywhere from 0 to 2x)
 */
public record RetryPolicy(
    int maxAttempts,
    Duration initialBackoff,
    Duration maxBackoff,
    double multiplier,
    double jitter) {

  /** The outcome of {@link #afterFailure}. */
  public sealed interface Decision {
    /** Call again after {@code delay}. */
    record Retry(Duration delay) implements Decision {}

    /** Stop: record the task as failed with this error. */
    record GiveUp(ErrorInfo error) implements Decision {}
  }

  public RetryPolicy {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1, got " + maxAttempts);
    }
    if (initialBackoff == null || initialBackoff.isNegative()) {
      throw new IllegalArgumentException("initialBackoff must be zero or positive");
    }
    if (maxBackoff == null || maxBackoff.compareTo(initialBackoff) < 0) {
      throw new IllegalArgumentException("maxBackoff must be at least initialBackoff");
    }
    if (!(multiplier >= 1.0)) {
      throw new IllegalArgumentException("backoffMultiplier must be at least 1, got " + multiplier);
    }
    if (!(jitter >= 0.0 && jitter <= 1.0)) {
      throw new IllegalArgumentException("jitter must be between 0 and 1, got " + jitter);
    }
  }

  /**
   * @param attempt the number of the call that just failed, from 1
   * @param failure how it failed
   * @param random a uniformly distributed number in [0, 1) for the jitter
   */
  public Decision afterFailure(int attempt, ProviderException failure, double random) {
    ErrorInfo error = ProviderErrors.toErrorInfo(failure);
    if (!failure.isRetriable() || attempt >= maxAttempts) {
      return new Decision.GiveUp(error);
    }
    Duration delay = backoff(attempt, random);
    Duration retryAfter = failure.retryAfter().orElse(Duration.ZERO);
    return new Decision.Retry(retryAfter.compareTo(delay) > 0 ? retryAfter : delay);
  }

  /** The jittered delay after failed call number {@code attempt}, at most {@code maxBackoff}. */
  public Duration backoff(int attempt, double random) {
    double base =
        Math.min(
            maxBackoff.toMillis(), initialBackoff.toMillis() * Math.pow(multiplier, attempt - 1));
    double factor = 1.0 + jitter * (2.0 * random - 1.0);
    long millis = Math.round(Math.min(maxBackoff.toMillis(), base * factor));
    return Duration.ofMillis(Math.max(0, millis));
  }
}
