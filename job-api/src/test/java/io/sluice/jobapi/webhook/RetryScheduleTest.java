package io.sluice.jobapi.webhook;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import org.junit.jupiter.api.Test;

class RetryScheduleTest {
  private static final Instant START = Instant.parse("2026-12-01T00:00:00Z");
  private static final DoubleSupplier SHORTEST = () -> 0.0;
  private static final DoubleSupplier LONGEST = () -> 0.999999;
  private static final DoubleSupplier MIDDLE = () -> 0.5;

  /** Fails every attempt at the moment it is due; returns when the last one was made. */
  private static Instant lastAttempt(RetrySchedule schedule, DoubleSupplier jitter) {
    Instant now = START;
    int failed = 1;
    Optional<Instant> next;
    while ((next = schedule.nextAttempt(failed, now, jitter)).isPresent()) {
      assertThat(next.get()).isAfter(now);
      now = next.get();
      failed++;
    }
    assertThat(failed).isEqualTo(schedule.maxAttempts());
    return now;
  }

  @Test
  void shouldKeepRetryingForMoreThan72HoursEvenAtTheShortestJitter() {
    Instant last = lastAttempt(RetrySchedule.STANDARD, SHORTEST);

    assertThat(Duration.between(START, last)).isGreaterThanOrEqualTo(Duration.ofHours(72));
  }

  @Test
  void shouldStopRetryingWithin97HoursAtTheLongestJitter() {
    Instant last = lastAttempt(RetrySchedule.STANDARD, LONGEST);

    assertThat(Duration.between(START, last)).isLessThan(Duration.ofHours(97));
  }

  @Test
  void shouldFollowTheStandardWebhooksExampleWithoutJitter() {
    RetrySchedule schedule = RetrySchedule.STANDARD;

    assertThat(schedule.nextAttempt(1, START, MIDDLE)).contains(START.plusSeconds(5));
    assertThat(schedule.nextAttempt(2, START, MIDDLE)).contains(START.plus(Duration.ofMinutes(5)));
    assertThat(schedule.nextAttempt(3, START, MIDDLE)).contains(START.plus(Duration.ofMinutes(30)));
    assertThat(schedule.nextAttempt(4, START, MIDDLE)).contains(START.plus(Duration.ofHours(2)));
    assertThat(schedule.nextAttempt(5, START, MIDDLE)).contains(START.plus(Duration.ofHours(5)));
    assertThat(schedule.nextAttempt(6, START, MIDDLE)).contains(START.plus(Duration.ofHours(10)));
    assertThat(schedule.maxAttempts()).isEqualTo(14);
    assertThat(schedule.span())
        .isEqualTo(Duration.ofSeconds(5 + 5 * 60 + 30 * 60 + 7 * 3600 + 80 * 3600));
  }

  @Test
  void shouldSpreadEachWaitByTheJitterEitherWay() {
    RetrySchedule schedule = RetrySchedule.STANDARD;

    assertThat(schedule.nextAttempt(4, START, SHORTEST))
        .contains(START.plus(Duration.ofMinutes(108)));
    assertThat(schedule.nextAttempt(4, START, LONGEST).orElseThrow())
        .isBetween(START.plus(Duration.ofMinutes(131)), START.plus(Duration.ofMinutes(132)));
  }

  @Test
  void shouldGiveUpAfterTheLastAttempt() {
    assertThat(RetrySchedule.STANDARD.nextAttempt(14, START, MIDDLE)).isEmpty();
    assertThat(RetrySchedule.STANDARD.nextAttempt(13, START, MIDDLE)).isPresent();
  }
}
