package io.sluice.jobapi.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.jobapi.job.JobProjection.Apply;
import io.sluice.jobapi.job.JobProjection.Decision;
import io.sluice.jobapi.job.JobProjection.Skip;
import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.JobType;
import io.sluice.schemas.job.Mode;
import io.sluice.schemas.job.Priority;
import io.sluice.schemas.job.TokenUsage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class JobProjectionTest {
  private static final Instant CREATED = Instant.parse("2030-01-01T00:00:00Z");
  private static final Instant STARTED = CREATED.plusMillis(40);
  private static final Instant FINISHED = CREATED.plusMillis(900);
  private static final Instant NOW = CREATED.plusSeconds(1);

  private static Job aJob(JobStatus status) {
    Job queued =
        Job.accepted(
            "job_1",
            "ten_a",
            new JobRequest(
                JobType.COMPLETION,
                new CompletionSpec("fast", List.of(ChatMessage.user("hi")), null, null, null),
                Priority.STANDARD,
                Mode.REALTIME,
                null,
                Map.of()),
            CREATED);
    return status == JobStatus.QUEUED
        ? queued
        : queued.withOutcome(
            status,
            new Job.JobOutcome(null, null, null, null, null, null, 1, STARTED, null, "ev_0"),
            CREATED);
  }

  private static JobEvent anEvent(String id, JobStatus status) {
    boolean succeeded = status == JobStatus.SUCCEEDED;
    return new JobEvent(
        1,
        id,
        "job_1",
        "ten_a",
        status,
        succeeded ? "olleh" : null,
        succeeded ? new TokenUsage(12, 3) : null,
        "openai",
        "gpt-4o-mini",
        succeeded ? new BigDecimal("0.0000036") : null,
        status == JobStatus.FAILED ? ErrorInfo.permanent("provider_rejected", "bad request") : null,
        2,
        STARTED,
        status.isTerminal() ? FINISHED : STARTED);
  }

  private static Job applied(Decision decision) {
    assertThat(decision).isInstanceOf(Apply.class);
    return ((Apply) decision).job();
  }

  @Test
  void shouldRecordTheResultOfASucceededJob() {
    Job job =
        applied(
            JobProjection.decide(
                aJob(JobStatus.QUEUED), anEvent("ev_1", JobStatus.SUCCEEDED), NOW));

    assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(job.outcome().output()).isEqualTo("olleh");
    assertThat(job.outcome().usage()).isEqualTo(new TokenUsage(12, 3));
    assertThat(job.outcome().provider()).isEqualTo("openai");
    assertThat(job.outcome().providerModel()).isEqualTo("gpt-4o-mini");
    assertThat(job.outcome().costUsd()).isEqualByComparingTo("0.0000036");
    assertThat(job.outcome().attempts()).isEqualTo(2);
    assertThat(job.outcome().startedAt()).isEqualTo(STARTED);
    assertThat(job.outcome().finishedAt()).isEqualTo(FINISHED);
    assertThat(job.outcome().lastEventId()).isEqualTo("ev_1");
    assertThat(job.updatedAt()).isEqualTo(NOW);
    assertThat(job.model()).isEqualTo("fast");
  }

  @Test
  void shouldRecordTheErrorOfAFailedJob() {
    Job job =
        applied(
            JobProjection.decide(aJob(JobStatus.RUNNING), anEvent("ev_2", JobStatus.FAILED), NOW));

    assertThat(job.status()).isEqualTo(JobStatus.FAILED);
    assertThat(job.outcome().error().code()).isEqualTo("provider_rejected");
    assertThat(job.outcome().output()).isNull();
  }

  @Test
  void shouldMoveAQueuedJobToRunningWithoutFinishingIt() {
    Job job =
        applied(
            JobProjection.decide(aJob(JobStatus.QUEUED), anEvent("ev_1", JobStatus.RUNNING), NOW));

    assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(job.outcome().startedAt()).isEqualTo(STARTED);
    assertThat(job.outcome().finishedAt()).isNull();
  }

  @Test
  void shouldKeepTheFirstStartTimeWhenARunningJobReportsProgress() {
    JobEvent progress =
        new JobEvent(
            1,
            "ev_5",
            "job_1",
            "ten_a",
            JobStatus.RUNNING,
            null,
            new TokenUsage(5, 0),
            null,
            null,
            null,
            null,
            3,
            NOW,
            NOW);

    Job job = applied(JobProjection.decide(aJob(JobStatus.RUNNING), progress, NOW));

    assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(job.outcome().startedAt()).isEqualTo(STARTED);
    assertThat(job.outcome().attempts()).isEqualTo(3);
    assertThat(job.outcome().usage()).isEqualTo(new TokenUsage(5, 0));
  }

  @Test
  void shouldSkipAnEventThatWasAlreadyApplied() {
    Job once =
        applied(
            JobProjection.decide(aJob(JobStatus.QUEUED), anEvent("ev_1", JobStatus.RUNNING), NOW));

    Decision again = JobProjection.decide(once, anEvent("ev_1", JobStatus.RUNNING), NOW);

    assertThat(again)
        .isInstanceOfSatisfying(Skip.class, skip -> assertThat(skip.unexpected()).isFalse());
  }

  @ParameterizedTest
  @EnumSource(
      value = JobStatus.class,
      names = {"SUCCEEDED", "FAILED", "CANCELLED", "EXPIRED"})
  void shouldIgnoreEveryEventForAFinishedJob(JobStatus terminal) {
    Job finished =
        applied(JobProjection.decide(aJob(JobStatus.RUNNING), anEvent("ev_9", terminal), NOW));

    for (JobStatus any : JobStatus.values()) {
      assertThat(JobProjection.decide(finished, anEvent("ev_late_" + any, any), NOW))
          .isInstanceOf(Skip.class);
    }
  }

  @Test
  void shouldRefuseToMoveARunningJobBackToQueuedNamingTheJob() {
    assertThatThrownBy(
            () ->
                JobProjection.decide(
                    aJob(JobStatus.RUNNING), anEvent("ev_3", JobStatus.QUEUED), NOW))
        .isInstanceOfSatisfying(
            IllegalJobTransitionException.class,
            e -> {
              assertThat(e.jobId()).isEqualTo("job_1");
              assertThat(e.from()).isEqualTo(JobStatus.RUNNING);
              assertThat(e.to()).isEqualTo(JobStatus.QUEUED);
            })
        .hasMessageContaining("job_1")
        .hasMessageContaining("running")
        .hasMessageContaining("queued");
  }

  @Test
  void shouldSkipAnEventThatNamesAnotherTenant() {
    JobEvent foreign =
        new JobEvent(
            1,
            "ev_x",
            "job_1",
            "ten_other",
            JobStatus.SUCCEEDED,
            "x",
            null,
            null,
            null,
            null,
            null,
            1,
            null,
            NOW);

    assertThat(JobProjection.decide(aJob(JobStatus.QUEUED), foreign, NOW))
        .isInstanceOfSatisfying(Skip.class, skip -> assertThat(skip.unexpected()).isTrue());
  }

  @Test
  void shouldAllowEveryTransitionOfTheTableAndNothingElse() {
    for (JobStatus from : List.of(JobStatus.QUEUED, JobStatus.RUNNING)) {
      for (JobStatus to : JobStatus.values()) {
        Job job = aJob(from);
        if (from == to) {
          continue;
        }
        if (from.canMoveTo(to)) {
          assertThat(job.moveTo(to, job.outcome(), NOW).status()).isEqualTo(to);
        } else {
          assertThatThrownBy(() -> job.moveTo(to, job.outcome(), NOW))
              .isInstanceOf(IllegalJobTransitionException.class);
        }
      }
    }
  }
}
