package io.sluice.jobapi.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.DoubleSupplier;

/**
 * When a failed delivery is tried again: after the first attempt (sent at once) fails, wait {@code
 * delays[0]}, after the second {@code delays[1]}, and so on; when the delays are used up the
 * delivery is dead. Every wait is spread by up to {@code jitter} either way, so deliveries that
 * failed together do not all come back at once.
 *
 * @param delays the wait after each failed attempt
 * @param jitter the largest fraction a wait is lengthened or shortened by (0 to 0.5)
 */
public record RetrySchedule(List<Duration> delays, double jitter) {

  /**
   * The Standard Webhooks example schedule, lengthened to more than three days: 5 s, 5 min, 30 min,
   * 2 h, 5 h, then 10 h eight times: 14 attempts over 87.6 h (78.8 h at the shortest jitter).
   */
  public static final RetrySchedule STANDARD =
      new RetrySchedule(
          List.of(
              Duration.ofSeconds(5),
              Duration.ofMinutes(5),
              Duration.ofMinutes(30),
              Duration.ofHours(2),
              Duration.ofHours(5),
              Duration.ofHours(10),
              Duration.ofHours(10),
              Duration.ofHours(10),
              Duration.ofHours(10),
              Duration.ofHours(10),
              Duration.ofHours(10),
              Duration.ofHours(10),
              Duration.ofHours(10)),
          0.1);

  public RetrySchedule {
    delays = List.copyOf(delays);
    if (delays.stream().anyMatch(Duration::isNegative)) {
      throw new IllegalArgumentException("retry delays must not be negative");
    }
    if (!(jitter >= 0 && jitter <= 0.5)) {
      throw new IllegalArgumentException("jitter must be 0 to 0.5");
    }
  }

  /** Attempts in all: the first one and one per delay. */
  public int maxAttempts() {
    return delays.size() + 1;
  }

  /**
   * When to try again after {@code failedAttempts} attempts failed, the last one at {@code now};
   * empty when none is left.
   *
   * @param random uniform in [0, 1): where in the jitter range this wait falls
   */
  public Optional<Instant> nextAttempt(int failedAttempts, Instant now, DoubleSupplier random) {
    if (failedAttempts < 1 || failedAttempts > delays.size()) {
      return Optional.empty();
    }
    Duration delay = delays.get(failedAttempts - 1);
    double factor = 1 + jitter * (2 * random.getAsDouble() - 1);
    return Optional.of(now.plusMillis(Math.round(delay.toMillis() * factor)));
  }

  /** The sum of the delays: from the first attempt to the last without jitter. */
  public Duration span() {
    return delays.stream().reduce(Duration.ZERO, Duration::plus);
  }
}
