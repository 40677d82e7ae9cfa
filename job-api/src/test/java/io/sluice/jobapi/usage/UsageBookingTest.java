package io.sluice.jobapi.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.jobapi.job.Job;
import io.sluice.jobapi.job.Job.JobOutcome;
import io.sluice.jobapi.job.JobRequest;
import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.JobType;
import io.sluice.schemas.job.Mode;
import io.sluice.schemas.job.Priority;
import io.sluice.schemas.job.TokenUsage;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageBookingTest {
  private static final Instant CREATED = Instant.parse("2030-01-01T23:59:00Z");
  private static final Instant FINISHED = Instant.parse("2030-01-01T23:59:58Z");
  private static final Instant BOOKED = Instant.parse("2030-01-02T00:00:03Z");

  private static final Job QUEUED =
      Job.accepted(
          "job_1",
          "ten_a",
          new JobRequest(
              JobType.COMPLETION,
              new CompletionSpec("fast", List.of(ChatMessage.user("hi")), null, null, null),
              Priority.STANDARD,
              Mode.DEFERRED,
              null,
              Map.of()),
          CREATED);

  private static JobOutcome outcome(
      String provider, TokenUsage usage, String cost, String realtimeCost, Instant finished) {
    return new JobOutcome(
        null,
        usage,
        provider,
        provider == null ? null : "gpt-4o-mini",
        cost == null ? null : new BigDecimal(cost),
        null,
        1,
        CREATED,
        finished,
        "ev",
        null,
        realtimeCost == null ? null : new BigDecimal(realtimeCost));
  }

  private static Job as(JobStatus status, JobOutcome outcome) {
    return QUEUED.withOutcome(status, outcome, FINISHED);
  }

  @Test
  void shouldBookAFirstResultWithItsJobTokensAndBothPricesOnTheDayItEnded() {
    Job done =
        as(
            JobStatus.SUCCEEDED,
            outcome("openai", new TokenUsage(120, 30), "0.0000150", "0.0000300", FINISHED));

    assertThat(UsageBooking.between(QUEUED, done, BOOKED))
        .contains(
            new UsageBooking(
                "ten_a",
                LocalDate.parse("2030-01-01"),
                "openai",
                "gpt-4o-mini",
                1,
                120,
                30,
                new BigDecimal("0.0000150"),
                new BigDecimal("0.0000300")));
  }

  @Test
  void shouldBookOnlyTheDifferenceOfALateCostAndNotCountTheJobAgain() {
    Job done =
        as(JobStatus.SUCCEEDED, outcome("openai", new TokenUsage(10, 2), "0.003", null, FINISHED));
    Job later =
        as(JobStatus.SUCCEEDED, outcome("openai", new TokenUsage(25, 5), "0.0075", null, FINISHED));

    UsageBooking booking = UsageBooking.between(done, later, BOOKED).orElseThrow();

    assertThat(booking.jobs()).isZero();
    assertThat(booking.inputTokens()).isEqualTo(15);
    assertThat(booking.outputTokens()).isEqualTo(3);
    assertThat(booking.costUsd()).isEqualByComparingTo("0.0045");
    assertThat(booking.realtimeCostUsd())
        .as("no batch price: the realtime price is the cost")
        .isEqualByComparingTo("0.0045");
    assertThat(booking.day()).isEqualTo(LocalDate.parse("2030-01-01"));
  }

  @Test
  void shouldBookTheRunningCostOfAJobNotYetEndedOnTheDayItWasBooked() {
    Job running =
        as(JobStatus.RUNNING, outcome("anthropic", new TokenUsage(500, 50), "0.02", null, null));

    UsageBooking booking = UsageBooking.between(QUEUED, running, BOOKED).orElseThrow();

    assertThat(booking.day()).isEqualTo(LocalDate.parse("2030-01-02"));
    assertThat(booking.jobs()).isZero();
    assertThat(booking.provider()).isEqualTo("anthropic");
  }

  @Test
  void shouldCountAJobThatEndedWithoutAProviderCallUnderUnknownAtNoCost() {
    Job failed =
        QUEUED.withOutcome(
            JobStatus.FAILED,
            new JobOutcome(
                null,
                null,
                null,
                null,
                null,
                ErrorInfo.permanent("expired", "deadline passed"),
                0,
                null,
                FINISHED,
                "ev",
                null,
                null),
            FINISHED);

    UsageBooking booking = UsageBooking.between(QUEUED, failed, BOOKED).orElseThrow();

    assertThat(booking.provider()).isEqualTo(UsageBooking.UNKNOWN);
    assertThat(booking.model()).isEqualTo(UsageBooking.UNKNOWN);
    assertThat(booking.jobs()).isEqualTo(1);
    assertThat(booking.costUsd()).isEqualByComparingTo("0");
  }

  @Test
  void shouldBookNothingForAChangeThatMovesNoMoneyTokensOrEnd() {
    Job running = as(JobStatus.RUNNING, outcome(null, null, null, null, null));
    Job stillRunning = as(JobStatus.RUNNING, outcome(null, null, null, null, null));

    assertThat(UsageBooking.between(QUEUED, running, BOOKED)).isEmpty();
    assertThat(UsageBooking.between(running, stillRunning, BOOKED)).isEmpty();
  }
}
