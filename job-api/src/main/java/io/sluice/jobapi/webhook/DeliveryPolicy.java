package io.sluice.jobapi.webhook;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.Set;
import java.util.function.DoubleSupplier;

/**
 * What happens after an attempt: only a 2xx succeeds; 410 kills the delivery and disables the
 * endpoint; 429, 502, 503, 504 and any {@code Retry-After} pause the whole endpoint (30 s, or as
 * long as {@code Retry-After} asks, at most 10 h), and so does no answer at all (refused, timed
 * out: for the schedule's first delay, 5 s); every other failure is retried on the {@link
 * RetrySchedule} until it runs out. An endpoint whose deliveries have failed for {@link
 * #DISABLE_AFTER} without a success in between is disabled. Pure: the time and the jitter are
 * given.
 */
public final class DeliveryPolicy {
  public static final Duration DISABLE_AFTER = Duration.ofDays(5);
  public static final Duration DEFAULT_PAUSE = Duration.ofSeconds(30);
  public static final Duration MAX_PAUSE = Duration.ofHours(10);
  private static final Set<Integer> SLOW_DOWN = Set.of(429, 502, 503, 504);

  private final RetrySchedule schedule;
  private final DoubleSupplier random;

  public DeliveryPolicy(RetrySchedule schedule, DoubleSupplier random) {
    this.schedule = schedule;
    this.random = random;
  }

  /**
   * What an attempt means for its delivery and its endpoint.
   *
   * @param result what the attempt came to
   * @param attemptsMade attempts of this delivery so far, this one included
   * @param now when the attempt ended
   * @param failingSince when the endpoint's current run of failures began, or {@code null}
   */
  public Decision decide(
      AttemptResult result, int attemptsMade, Instant now, Instant failingSince) {
    if (result.succeeded()) {
      return new Decision(DeliveryStatus.SUCCEEDED, null, null, null, null);
    }
    Instant since = failingSince == null ? now : failingSince;
    if (result.responded() && result.statusCode() == 410) {
      return new Decision(
          DeliveryStatus.DEAD, null, null, "the endpoint answered 410 Gone at " + now, since);
    }
    Instant pausedUntil = pause(result, now).map(now::plus).orElse(null);
    String disable =
        Duration.between(since, now).compareTo(DISABLE_AFTER) >= 0
            ? "every delivery failed from " + since + " to " + now + " (5 days)"
            : null;
    Optional<Instant> next = schedule.nextAttempt(attemptsMade, now, random);
    if (next.isEmpty()) {
      return new Decision(DeliveryStatus.DEAD, null, pausedUntil, disable, since);
    }
    Instant at = pausedUntil != null && pausedUntil.isAfter(next.get()) ? pausedUntil : next.get();
    return new Decision(DeliveryStatus.FAILED, at, pausedUntil, disable, since);
  }

  private Optional<Duration> pause(AttemptResult result, Instant now) {
    Optional<Duration> asked = result.retryAfter().flatMap(value -> retryAfter(value, now));
    if (asked.isPresent()) {
      return asked.map(d -> d.compareTo(MAX_PAUSE) > 0 ? MAX_PAUSE : d);
    }
    if (!result.responded()) {
      return unreachablePause();
    }
    return SLOW_DOWN.contains(result.statusCode()) ? Optional.of(DEFAULT_PAUSE) : Optional.empty();
  }

  // An endpoint that does not answer (refused, timed out) is probed again no sooner than the
  // schedule's first retry: its other deliveries wait instead of each failing on their own.
  private Optional<Duration> unreachablePause() {
    return schedule.delays().isEmpty()
        ? Optional.empty()
        : Optional.of(schedule.delays().getFirst());
  }

  /** A {@code Retry-After} value: delay seconds or an HTTP date; empty when it is neither. */
  static Optional<Duration> retryAfter(String value, Instant now) {
    String text = value.trim();
    if (text.matches("\\d{1,9}")) {
      return Optional.of(Duration.ofSeconds(Long.parseLong(text)));
    }
    try {
      Instant at = ZonedDateTime.parse(text, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  /**
   * What to record.
   *
   * @param status the delivery's new status
   * @param nextAttemptAt when to try it again ({@link DeliveryStatus#FAILED} only)
   * @param endpointPausedUntil no delivery to this endpoint before then, or {@code null}
   * @param disableReason why the endpoint is now disabled, or {@code null} to leave it enabled
   * @param failingSince when the endpoint's run of failures began; {@code null} after a success
   */
  public record Decision(
      DeliveryStatus status,
      Instant nextAttemptAt,
      Instant endpointPausedUntil,
      String disableReason,
      Instant failingSince) {}
}
