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
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.job.Placement.Stage;
import io.sluice.schemas.job.Priority;
import io.sluice.schemas.job.TokenUsage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

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
            new Job.JobOutcome(
                null, null, null, null, null, null, 1, STARTED, null, "ev_0", null, null),
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

  @Test
  void shouldStoreAStructuredOutputAndItsRepairsFromTheTerminalEvent() throws Exception {
    JobEvent plain = anEvent("ev_9", JobStatus.SUCCEEDED);
    var json = io.sluice.schemas.json.Json.mapper().readTree("{\"city\":\"Oslo\"}");
    JobEvent structured =
        new JobEvent(
            plain.schemaVersion(),
            plain.eventId(),
            plain.jobId(),
            plain.tenantId(),
            plain.status(),
            "{\"city\":\"Oslo\"}",
            plain.usage(),
            plain.provider(),
            plain.model(),
            plain.costUsd(),
            null,
            3,
            plain.startedAt(),
            plain.occurredAt(),
            null,
            null,
            null,
            json,
            2);

    Job job = applied(JobProjection.decide(aJob(JobStatus.RUNNING), structured, NOW));

    assertThat(job.outcome().outputJson()).isEqualTo(json);
    assertThat(job.outcome().repairs()).isEqualTo(2);
    assertThat(job.outcome().attempts()).isEqualTo(3);
    Job withoutSchema = applied(JobProjection.decide(aJob(JobStatus.RUNNING), plain, NOW));
    assertThat(withoutSchema.outcome().outputJson()).isNull();
    assertThat(withoutSchema.outcome().repairs()).isNull();
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

  private static final Instant PLACED = CREATED.plusMillis(10);
  private static final Placement PENDING = new Placement(Stage.PENDING, null, 1, PLACED);
  private static final Placement IN_BATCH =
      new Placement(Stage.IN_PROVIDER_BATCH, "batch_abc", 1, PLACED.plusSeconds(60));
  private static final Placement RESUBMITTED =
      new Placement(Stage.RESUBMITTED, null, 2, PLACED.plusSeconds(3600));
  private static final Placement FALLBACK =
      new Placement(Stage.REALTIME_FALLBACK, null, 2, PLACED.plusSeconds(7200));

  private static JobEvent placed(String id, JobStatus status, Placement placement) {
    return new JobEvent(
        1,
        id,
        "job_1",
        "ten_a",
        status,
        null,
        null,
        null,
        null,
        null,
        null,
        0,
        null,
        placement.since(),
        placement,
        null);
  }

  private static JobEvent terminal(
      String id, JobStatus status, String cost, String realtimeCost, Placement placement) {
    JobEvent base = anEvent(id, status);
    return new JobEvent(
        1,
        id,
        "job_1",
        "ten_a",
        status,
        base.output(),
        new TokenUsage(12, 3),
        "openai",
        "gpt-4o-mini",
        cost == null ? null : new BigDecimal(cost),
        status == JobStatus.EXPIRED
            ? ErrorInfo.permanent(
                "deadline_exceeded", "the job's deadline passed before it finished")
            : base.error(),
        1,
        STARTED,
        FINISHED,
        placement,
        realtimeCost == null ? null : new BigDecimal(realtimeCost));
  }

  private static JobEvent costUpdate(
      String id, JobStatus status, String cost, TokenUsage usage, int attempts) {
    return new JobEvent(
        1,
        id,
        "job_1",
        "ten_a",
        status,
        null,
        usage,
        "openai",
        "gpt-4o-mini",
        new BigDecimal(cost),
        null,
        attempts,
        null,
        NOW.plusSeconds(30),
        null,
        null);
  }

  private static Job succeededAtTheBatchPrice() {
    return applied(
        JobProjection.decide(
            aJob(JobStatus.RUNNING),
            terminal("ev_done", JobStatus.SUCCEEDED, "0.0000018", "0.0000036", IN_BATCH),
            NOW));
  }

  @Test
  void shouldKeepAQueuedJobQueuedWhileItsTaskIsPendingInTheDeferredLane() {
    Job job =
        applied(
            JobProjection.decide(
                aJob(JobStatus.QUEUED), placed("ev_p1", JobStatus.QUEUED, PENDING), NOW));

    assertThat(job.status()).isEqualTo(JobStatus.QUEUED);
    assertThat(job.outcome().placement()).isEqualTo(PENDING);
    assertThat(job.outcome().startedAt()).isNull();
    assertThat(job.outcome().lastEventId()).isEqualTo("ev_p1");
  }

  @Test
  void shouldMoveAQueuedJobToRunningWhenItsTaskEntersAProviderBatch() {
    Job pending =
        applied(
            JobProjection.decide(
                aJob(JobStatus.QUEUED), placed("ev_p1", JobStatus.QUEUED, PENDING), NOW));

    Job job =
        applied(JobProjection.decide(pending, placed("ev_p2", JobStatus.RUNNING, IN_BATCH), NOW));

    assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(job.outcome().placement()).isEqualTo(IN_BATCH);
    assertThat(job.outcome().startedAt()).isEqualTo(IN_BATCH.since());
    assertThat(job.outcome().finishedAt()).isNull();
  }

  @Test
  void shouldMoveARunningJobsPlacementWithoutChangingItsStatus() {
    Job job = aJob(JobStatus.RUNNING);
    for (Placement next : List.of(IN_BATCH, RESUBMITTED, FALLBACK)) {
      job =
          applied(
              JobProjection.decide(
                  job, placed("ev_" + next.stage(), JobStatus.RUNNING, next), NOW));

      assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
      assertThat(job.outcome().placement()).isEqualTo(next);
      assertThat(job.outcome().startedAt()).isEqualTo(STARTED);
    }
  }

  @Test
  void shouldIgnoreAPlacementOnceTheJobHasFinished() {
    Job done = succeededAtTheBatchPrice();

    assertThat(JobProjection.decide(done, placed("ev_p9", JobStatus.RUNNING, FALLBACK), NOW))
        .isInstanceOf(Skip.class);
  }

  @Test
  void shouldStoreTheLastPlacementAndTheRealtimePriceOfATerminalEvent() {
    Job job = succeededAtTheBatchPrice();

    assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(job.outcome().placement()).isEqualTo(IN_BATCH);
    assertThat(job.outcome().costUsd()).isEqualByComparingTo("0.0000018");
    assertThat(job.outcome().realtimeCostUsd()).isEqualByComparingTo("0.0000036");
    assertThat(job.outcome().finishedAt()).isEqualTo(FINISHED);
  }

  @Test
  void shouldKeepThePlacementWhenTheTerminalEventCarriesNone() {
    Job inBatch =
        applied(
            JobProjection.decide(
                aJob(JobStatus.RUNNING), placed("ev_p3", JobStatus.RUNNING, FALLBACK), NOW));

    Job job =
        applied(
            JobProjection.decide(
                inBatch, terminal("ev_done", JobStatus.SUCCEEDED, "0.0000036", null, null), NOW));

    assertThat(job.outcome().placement()).isEqualTo(FALLBACK);
    assertThat(job.outcome().realtimeCostUsd()).isNull();
  }

  @Test
  void shouldLetTheFirstTerminalEventWin() {
    Job done = succeededAtTheBatchPrice();

    Decision second =
        JobProjection.decide(
            done, terminal("ev_fail", JobStatus.FAILED, "0.0000036", null, FALLBACK), NOW);

    assertThat(second).isInstanceOf(Skip.class);
  }

  @Test
  void shouldExpireAJobWithItsDeadlineExceededError() {
    Job job =
        applied(
            JobProjection.decide(
                aJob(JobStatus.RUNNING),
                terminal("ev_exp", JobStatus.EXPIRED, null, null, RESUBMITTED),
                NOW));

    assertThat(job.status()).isEqualTo(JobStatus.EXPIRED);
    assertThat(job.outcome().error().code()).isEqualTo("deadline_exceeded");
    assertThat(job.outcome().error().retriable()).isFalse();
    assertThat(job.outcome().placement()).isEqualTo(RESUBMITTED);
    assertThat(job.outcome().finishedAt()).isEqualTo(FINISHED);
    assertThat(JobProjection.decide(job, anEvent("ev_late", JobStatus.SUCCEEDED), NOW))
        .isInstanceOf(Skip.class);
  }

  @Test
  void shouldApplyALateCostUpdateOnlyToCostUsageAndAttempts() {
    Job done = succeededAtTheBatchPrice();
    Instant later = NOW.plusSeconds(60);

    Job job =
        applied(
            JobProjection.decide(
                done,
                costUpdate(
                    "job_1.cost.1", JobStatus.SUCCEEDED, "0.0000054", new TokenUsage(24, 6), 2),
                later));

    assertThat(job.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(job.outcome().costUsd()).isEqualByComparingTo("0.0000054");
    assertThat(job.outcome().usage()).isEqualTo(new TokenUsage(24, 6));
    assertThat(job.outcome().attempts()).isEqualTo(2);
    assertThat(job.outcome().lastEventId()).isEqualTo("job_1.cost.1");
    assertThat(job.updatedAt()).isEqualTo(later);
    assertThat(job.outcome())
        .usingRecursiveComparison()
        .ignoringFields("costUsd", "usage", "attempts", "lastEventId")
        .isEqualTo(done.outcome());
  }

  @Test
  void shouldApplyACostUpdateToAnExpiredJobKeepingItsError() {
    Job expired =
        applied(
            JobProjection.decide(
                aJob(JobStatus.RUNNING),
                terminal("ev_exp", JobStatus.EXPIRED, "0.0000010", null, FALLBACK),
                NOW));

    Job job =
        applied(
            JobProjection.decide(
                expired,
                costUpdate(
                    "job_1.cost.1", JobStatus.EXPIRED, "0.0000030", new TokenUsage(12, 3), 2),
                NOW));

    assertThat(job.status()).isEqualTo(JobStatus.EXPIRED);
    assertThat(job.outcome().costUsd()).isEqualByComparingTo("0.0000030");
    assertThat(job.outcome().error().code()).isEqualTo("deadline_exceeded");
  }

  @Test
  void shouldSkipACostUpdateThatIsNotNewerThanTheStoredOne() {
    Job done = succeededAtTheBatchPrice();
    Job second =
        applied(
            JobProjection.decide(
                done,
                costUpdate(
                    "job_1.cost.2", JobStatus.SUCCEEDED, "0.0000072", new TokenUsage(36, 9), 3),
                NOW));

    assertThat(
            JobProjection.decide(
                second,
                costUpdate(
                    "job_1.cost.1", JobStatus.SUCCEEDED, "0.0000072", new TokenUsage(24, 6), 2),
                NOW))
        .as("an older cost update with the same cumulative cost")
        .isInstanceOf(Skip.class);
    assertThat(
            JobProjection.decide(
                second,
                costUpdate(
                    "job_1.cost.3", JobStatus.SUCCEEDED, "0.0000054", new TokenUsage(24, 6), 2),
                NOW))
        .as("a cost update that lowers the cumulative cost")
        .isInstanceOf(Skip.class);
    assertThat(
            JobProjection.decide(
                second,
                costUpdate(
                    "job_1.cost.2", JobStatus.SUCCEEDED, "0.0000072", new TokenUsage(36, 9), 3),
                NOW))
        .as("the same cost update again")
        .isInstanceOf(Skip.class);
  }

  @Test
  void shouldApplyACostUpdateWithoutAPriceWhenTheJobsCostIsUnknownToo() {
    Job unpriced =
        applied(
            JobProjection.decide(
                aJob(JobStatus.RUNNING),
                terminal("ev_done", JobStatus.SUCCEEDED, null, null, null),
                NOW));
    JobEvent noPrice =
        new JobEvent(
            1,
            "job_1.cost.2",
            "job_1",
            "ten_a",
            JobStatus.SUCCEEDED,
            null,
            new TokenUsage(24, 6),
            "openai",
            "gpt-4o-mini",
            null,
            null,
            2,
            null,
            NOW,
            null,
            null);

    Job job = applied(JobProjection.decide(unpriced, noPrice, NOW));

    assertThat(job.outcome().costUsd()).isNull();
    assertThat(job.outcome().usage()).isEqualTo(new TokenUsage(24, 6));
    assertThat(job.outcome().attempts()).isEqualTo(2);
    assertThat(JobProjection.decide(succeededAtTheBatchPrice(), noPrice, NOW))
        .as("a cost update without a price does not erase a known cost")
        .isInstanceOf(Skip.class);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"job_1.cost.x", "job_1.cost.", "job_1.cost.0", "job_2.cost.1", "job_1.costs.1"})
  void shouldSkipAnEventOfTheSameTerminalStatusThatIsNotACostUpdateOfThisJob(String eventId) {
    Job done = succeededAtTheBatchPrice();

    assertThat(
            JobProjection.decide(
                done,
                costUpdate(eventId, JobStatus.SUCCEEDED, "0.0000054", new TokenUsage(24, 6), 2),
                NOW))
        .isInstanceOf(Skip.class);
  }

  @Test
  void shouldSkipACostUpdateThatNamesAnotherTerminalStatus() {
    Job done = succeededAtTheBatchPrice();

    assertThat(
            JobProjection.decide(
                done,
                costUpdate("job_1.cost.1", JobStatus.FAILED, "0.0000054", new TokenUsage(24, 6), 2),
                NOW))
        .isInstanceOf(Skip.class);
  }

  @ParameterizedTest
  @EnumSource(
      value = JobStatus.class,
      names = {"SUCCEEDED", "FAILED", "EXPIRED"})
  void shouldSkipTheCancelOfAJobThatEndedFirstAsAnExpectedRaceNotAWarning(JobStatus ended) {
    Job finished =
        applied(JobProjection.decide(aJob(JobStatus.RUNNING), anEvent("ev_9", ended), NOW));

    assertThat(
            JobProjection.decide(
                finished, anEvent("job_1.cancelled", JobStatus.CANCELLED), NOW.plusSeconds(1)))
        .isInstanceOfSatisfying(Skip.class, skip -> assertThat(skip.unexpected()).isFalse());
  }

  @ParameterizedTest
  @EnumSource(
      value = JobStatus.class,
      names = {"QUEUED", "RUNNING"})
  void shouldEndAJobThatHasNotEndedCancelledByTheDispatchersEvent(JobStatus before) {
    Job job =
        applied(
            JobProjection.decide(
                aJob(before), anEvent("job_1.cancelled", JobStatus.CANCELLED), NOW));

    assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(job.outcome().finishedAt()).isEqualTo(FINISHED);
    assertThat(job.outcome().output()).isNull();
  }

  @Test
  void shouldAddTheCostOfACallThatFinishedAfterTheCancel() {
    Job cancelled =
        applied(
            JobProjection.decide(
                aJob(JobStatus.RUNNING), anEvent("job_1.cancelled", JobStatus.CANCELLED), NOW));

    Job job =
        applied(
            JobProjection.decide(
                cancelled,
                costUpdate(
                    "job_1.cost.1", JobStatus.CANCELLED, "0.0000036", new TokenUsage(12, 3), 1),
                NOW.plusSeconds(5)));

    assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(job.outcome().costUsd()).isEqualByComparingTo("0.0000036");
    assertThat(job.outcome().output()).isNull();
  }
}
