package io.sluice.dispatcher.completion;

import static io.sluice.dispatcher.JobFixtures.NOW;
import static io.sluice.dispatcher.JobFixtures.aBatchSuccessFor;
import static io.sluice.dispatcher.JobFixtures.aFailureFor;
import static io.sluice.dispatcher.JobFixtures.aJob;
import static io.sluice.dispatcher.JobFixtures.aPlacementFor;
import static io.sluice.dispatcher.JobFixtures.aStartFor;
import static io.sluice.dispatcher.JobFixtures.aSuccessFor;
import static io.sluice.dispatcher.JobFixtures.anExpiryFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.Versioned;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.Placement.Stage;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.task.TaskResult;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobCompletionTest {
  private final JobCompletion completion = new JobCompletion();

  @Test
  void shouldSucceedTheJobWithTheTaskOutputUsageAndCost() {
    TaskResult result = aSuccessFor(aJob().withId("j1").build());

    JobEvent event = completed(completion.record(JobProgress.NONE, result, NOW));

    assertThat(event.eventId()).isEqualTo("j1.succeeded");
    assertThat(event.jobId()).isEqualTo("j1");
    assertThat(event.tenantId()).isEqualTo("tenant-a");
    assertThat(event.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(event.output()).isEqualTo("cba");
    assertThat(event.usage()).isEqualTo(new TokenUsage(12, 3));
    assertThat(event.provider()).isEqualTo("openai");
    assertThat(event.model()).isEqualTo("gpt-4o-mini");
    assertThat(event.costUsd()).isEqualByComparingTo(new BigDecimal("0.0000036"));
    assertThat(event.attempts()).isEqualTo(2);
    assertThat(event.startedAt()).isEqualTo(result.startedAt());
    assertThat(event.occurredAt()).isEqualTo(result.finishedAt());
    assertThat(event.error()).isNull();
  }

  @Test
  void shouldFailTheJobWithTheTaskError() {
    TaskResult result = aFailureFor(aJob().withId("j2").build());

    JobEvent event = completed(completion.record(JobProgress.NONE, result, NOW));

    assertThat(event.eventId()).isEqualTo("j2.failed");
    assertThat(event.status()).isEqualTo(JobStatus.FAILED);
    assertThat(event.error()).isEqualTo(result.error());
    assertThat(event.attempts()).isEqualTo(3);
    assertThat(event.output()).isNull();
  }

  @Test
  void shouldCarryAStructuredOutputAndItsRepairsToTheJob() throws Exception {
    var json = io.sluice.schemas.json.Json.mapper().readTree("{\"a\":[1,2]}");
    TaskResult valid = aSuccessFor(aJob().withId("j7").build()).withStructuredOutput(json, 1);
    TaskResult mismatch = aFailureFor(aJob().withId("j8").build()).withStructuredOutput(null, 2);

    JobEvent succeeded = completed(completion.record(JobProgress.NONE, valid, NOW));
    JobEvent failed = completed(completion.record(JobProgress.NONE, mismatch, NOW));

    assertThat(succeeded.outputJson()).isEqualTo(json);
    assertThat(succeeded.repairs()).isEqualTo(1);
    assertThat(failed.outputJson()).isNull();
    assertThat(failed.repairs()).isEqualTo(2);
    assertThat(completed(completion.record(JobProgress.NONE, aSuccessFor(aJob().build()), NOW)))
        .extracting(JobEvent::outputJson, JobEvent::repairs)
        .containsExactly(null, null);
  }

  @Test
  void shouldExplainAFailureThatCameWithoutAnError() {
    TaskResult bare = withoutError(aFailureFor(aJob().build()));

    JobEvent event = completed(completion.record(JobProgress.NONE, bare, NOW));

    assertThat(event.error().code()).isEqualTo("task_failed");
    assertThat(event.error().message()).contains(bare.taskId());
  }

  @Test
  void shouldGiveAReplayedResultTheSameEvent() {
    TaskResult result = aSuccessFor(aJob().build());

    JobEvent first = completed(completion.record(JobProgress.NONE, result, NOW));
    JobEvent replay = completed(completion.record(JobProgress.NONE, result, NOW.plusSeconds(60)));

    assertThat(replay).isEqualTo(first);
  }

  @Test
  void shouldIgnoreARedeliveredResultButCountTheCallsOfAnotherResultAfterTheEnd() {
    var job = aJob().build();
    var first = completion.record(JobProgress.NONE, aSuccessFor(job), NOW);
    JobProgress progress = ((CompletionStep.Completed) first).progress();

    assertThat(progress.isTerminal()).isTrue();
    assertThat(completion.record(progress, aSuccessFor(job), NOW))
        .isInstanceOf(CompletionStep.Duplicate.class);
    assertThat(completion.record(progress, aFailureFor(job), NOW))
        .isInstanceOfSatisfying(
            CompletionStep.LateCost.class,
            late -> {
              assertThat(late.event().status()).isEqualTo(JobStatus.SUCCEEDED);
              assertThat(late.event().attempts()).isEqualTo(5);
              assertThat(late.event().error()).isNull();
            });
  }

  @Test
  void shouldMarkTheJobRunningWhenItsTaskStarts() {
    TaskResult start = aStartFor(aJob().withId("j4").build());

    CompletionStep step = completion.record(JobProgress.NONE, start, NOW);

    assertThat(step).isInstanceOf(CompletionStep.Started.class);
    var started = (CompletionStep.Started) step;
    assertThat(started.progress().started()).isTrue();
    assertThat(started.progress().isTerminal()).isFalse();
    JobEvent event = started.event();
    assertThat(event.eventId()).isEqualTo("j4.running");
    assertThat(event.status()).isEqualTo(JobStatus.RUNNING);
    assertThat(event.tenantId()).isEqualTo("tenant-a");
    assertThat(event.provider()).isEqualTo("openai");
    assertThat(event.model()).isEqualTo("gpt-4o-mini");
    assertThat(event.startedAt()).isEqualTo(start.startedAt());
    assertThat(event.occurredAt()).isEqualTo(start.startedAt());
    assertThat(event.output()).isNull();
    assertThat(event.error()).isNull();
  }

  @Test
  void shouldIgnoreAStartOfARunningOrFinishedJob() {
    var job = aJob().build();
    JobProgress running =
        ((CompletionStep.Started) completion.record(JobProgress.NONE, aStartFor(job), NOW))
            .progress();
    JobProgress done =
        ((CompletionStep.Completed) completion.record(running, aSuccessFor(job), NOW)).progress();
    JobProgress failedUnstarted =
        ((CompletionStep.Completed) completion.record(JobProgress.NONE, aFailureFor(job), NOW))
            .progress();

    assertThat(done.started()).isTrue();
    assertThat(completion.record(running, aStartFor(job), NOW))
        .isInstanceOf(CompletionStep.Duplicate.class);
    assertThat(completion.record(done, aStartFor(job), NOW))
        .isInstanceOf(CompletionStep.Duplicate.class);
    assertThat(completion.record(failedUnstarted, aStartFor(job), NOW))
        .isInstanceOf(CompletionStep.Duplicate.class);
  }

  @Test
  void shouldRejectAResultOfATaskTheJobDoesNotHave() {
    TaskResult foreign = withTaskId(aSuccessFor(aJob().withId("j3").build()), "other.c");

    assertThat(completion.record(JobProgress.NONE, foreign, NOW))
        .isInstanceOfSatisfying(
            CompletionStep.Rejected.class,
            rejected -> assertThat(rejected.reason()).contains("other.c", "j3"));
  }

  @Test
  void shouldUseTheCurrentTimeForAResultThatDoesNotSayWhenItFinished() {
    TaskResult result = withoutFinishedAt(aSuccessFor(aJob().build()));

    assertThat(completed(completion.record(JobProgress.NONE, result, NOW)).occurredAt())
        .isEqualTo(NOW);
  }

  @Test
  void shouldRecordWhenTheJobEndedSoThatItsEntryExpiresAfterTheRetention() {
    var step = completion.record(JobProgress.NONE, aSuccessFor(aJob().build()), NOW);
    JobProgress done = ((CompletionStep.Completed) step).progress();
    Duration retention = Duration.ofHours(1);

    assertThat(done.finishedAt()).isEqualTo(NOW);
    assertThat(done.isExpired(NOW.plus(retention).minusMillis(1), retention)).isFalse();
    assertThat(done.isExpired(NOW.plus(retention), retention)).isTrue();
  }

  @Test
  void shouldNeverExpireAJobThatIsStillRunning() {
    var step = completion.record(JobProgress.NONE, aStartFor(aJob().build()), NOW);
    JobProgress running = ((CompletionStep.Started) step).progress();

    assertThat(running.isExpired(NOW.plus(Duration.ofDays(365)), Duration.ofHours(1))).isFalse();
  }

  @Test
  void shouldExpireAFinishedEntryWrittenBeforeEndTimesWereRecorded() {
    var legacy = new JobProgress(true, Set.of("j.c"), JobStatus.SUCCEEDED, null);

    assertThat(legacy.isExpired(NOW, Duration.ofHours(1))).isTrue();
  }

  @Test
  void shouldKeepAJobQueuedWhileItsTaskIsPendingForABatch() {
    TaskResult pending = aPlacementFor(aJob().withId("d1").build(), Stage.PENDING, 1, null);

    var step = completion.record(JobProgress.NONE, pending, NOW);

    var placed = placed(step);
    assertThat(placed.event().eventId()).isEqualTo("d1.placed.pending.1");
    assertThat(placed.event().status()).isEqualTo(JobStatus.QUEUED);
    assertThat(placed.event().placement()).isEqualTo(pending.placement());
    assertThat(placed.event().occurredAt()).isEqualTo(pending.placement().since());
    assertThat(placed.event().startedAt()).isNull();
    assertThat(placed.progress().started()).isFalse();
    assertThat(placed.progress().placement()).isEqualTo(pending.placement());
  }

  @Test
  void shouldStartAJobWhenItsTaskGoesIntoAProviderBatch() {
    SubmittedJob job = aJob().withId("d2").build();
    JobProgress pending =
        placed(completion.record(JobProgress.NONE, aPlacementFor(job, Stage.PENDING, 1, null), NOW))
            .progress();
    TaskResult inBatch = aPlacementFor(job, Stage.IN_PROVIDER_BATCH, 1, "batch_x");

    var placed = placed(completion.record(pending, inBatch, NOW));

    assertThat(placed.event().eventId()).isEqualTo("d2.placed.in_provider_batch.1.batch_x");
    assertThat(placed.event().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(placed.event().startedAt()).isEqualTo(inBatch.placement().since());
    assertThat(placed.event().placement().providerBatchId()).isEqualTo("batch_x");
    assertThat(placed.progress().started()).isTrue();
    assertThat(completion.record(placed.progress(), aStartFor(job), NOW))
        .isInstanceOf(CompletionStep.Duplicate.class);
  }

  @Test
  void shouldReportAPendingPlacementOfARunningJobAsRunning() {
    SubmittedJob job = aJob().build();
    JobProgress running =
        ((CompletionStep.Started) completion.record(JobProgress.NONE, aStartFor(job), NOW))
            .progress();

    var placed =
        placed(completion.record(running, aPlacementFor(job, Stage.PENDING, 2, null), NOW));

    assertThat(placed.event().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(placed.event().startedAt()).isNull();
  }

  @Test
  void shouldGiveEachStageAttemptAndBatchItsOwnEventAndDropAReplayedOne() {
    SubmittedJob job = aJob().withId("d3").build();
    JobProgress progress = JobProgress.NONE;
    List<String> ids = new ArrayList<>();
    for (TaskResult move :
        List.of(
            aPlacementFor(job, Stage.PENDING, 1, null),
            aPlacementFor(job, Stage.IN_PROVIDER_BATCH, 1, "batch_a"),
            aPlacementFor(job, Stage.RESUBMITTED, 2, null),
            aPlacementFor(job, Stage.IN_PROVIDER_BATCH, 2, "batch_b"),
            aPlacementFor(job, Stage.REALTIME_FALLBACK, 2, null))) {
      var placed = placed(completion.record(progress, move, NOW));
      ids.add(placed.event().eventId());
      progress = placed.progress();
    }

    assertThat(ids).doesNotHaveDuplicates().hasSize(5);
    assertThat(
            completion.record(
                progress, aPlacementFor(job, Stage.IN_PROVIDER_BATCH, 1, "batch_a"), NOW))
        .isInstanceOf(CompletionStep.Duplicate.class);
    assertThat(progress.fellBack()).isTrue();
  }

  @Test
  void shouldDropAPlacementAfterTheJobEnded() {
    SubmittedJob job = aJob().build();
    JobProgress done =
        completedProgress(completion.record(JobProgress.NONE, aSuccessFor(job), NOW));

    assertThat(completion.record(done, aPlacementFor(job, Stage.REALTIME_FALLBACK, 1, null), NOW))
        .isInstanceOf(CompletionStep.Duplicate.class);
  }

  @Test
  void shouldEndAJobExpiredWhenItsTaskExpired() {
    TaskResult expired = anExpiryFor(aJob().withId("d4").build());

    JobEvent event = completed(completion.record(JobProgress.NONE, expired, NOW));

    assertThat(event.eventId()).isEqualTo("d4.expired");
    assertThat(event.status()).isEqualTo(JobStatus.EXPIRED);
    assertThat(event.error().code()).isEqualTo("deadline_exceeded");
    assertThat(event.placement()).isEqualTo(expired.placement());
    assertThat(event.output()).isNull();
  }

  @Test
  void shouldCarryTheBatchPlacementAndTheRealtimePriceOnTheTerminalEvent() {
    TaskResult line = aBatchSuccessFor(aJob().build(), "batch_z", NOW.plusSeconds(60));

    JobEvent event = completed(completion.record(JobProgress.NONE, line, NOW));

    assertThat(event.placement().providerBatchId()).isEqualTo("batch_z");
    assertThat(event.costUsd()).isEqualByComparingTo("0.0000018");
    assertThat(event.realtimeCostUsd()).isEqualByComparingTo("0.0000036");
  }

  @Test
  void shouldRecordTheCostOfASecondTerminalResultAfterTheEndOnce() {
    SubmittedJob job = aJob().withId("d5").build();
    TaskResult realtime = aSuccessFor(job);
    TaskResult batchLine = aBatchSuccessFor(job, "batch_q", NOW.plusSeconds(7200));
    JobProgress done = completedProgress(completion.record(JobProgress.NONE, realtime, NOW));

    var step = completion.record(done, batchLine, NOW.plusSeconds(7200));

    assertThat(step).isInstanceOf(CompletionStep.LateCost.class);
    var late = (CompletionStep.LateCost) step;
    JobEvent event = late.event();
    assertThat(event.eventId()).isEqualTo("d5.cost.2");
    assertThat(event.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(event.costUsd()).isEqualByComparingTo("0.0000054");
    assertThat(event.usage()).isEqualTo(new TokenUsage(24, 6));
    assertThat(event.attempts()).isEqualTo(3);
    assertThat(event.output()).isNull();
    assertThat(event.occurredAt()).isEqualTo(batchLine.finishedAt());
    assertThat(late.progress().terminalStatus()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(completion.record(late.progress(), batchLine, NOW))
        .isInstanceOf(CompletionStep.Duplicate.class);
    assertThat(completion.record(late.progress(), realtime, NOW))
        .isInstanceOf(CompletionStep.Duplicate.class);
  }

  @Test
  void shouldNotPublishALateResultThatCostNothing() {
    SubmittedJob job = aJob().build();
    JobProgress done =
        completedProgress(completion.record(JobProgress.NONE, aSuccessFor(job), NOW));
    TaskResult nothing = withoutError(aFailureFor(job));
    TaskResult free =
        new TaskResult(
            Versioned.CURRENT,
            nothing.taskId(),
            nothing.jobId(),
            nothing.tenantId(),
            TaskOutcome.FAILED,
            null,
            TokenUsage.NONE,
            null,
            null,
            null,
            null,
            0,
            null,
            NOW.plusSeconds(9));

    assertThat(completion.record(done, free, NOW)).isInstanceOf(CompletionStep.Duplicate.class);
  }

  @Test
  void shouldTakeAFurtherResultOfAnEntryWrittenBeforeCostsWereCountedForARedelivery() {
    SubmittedJob job = aJob().build();
    var legacy = new JobProgress(true, Set.of(job.jobId() + ".c"), JobStatus.SUCCEEDED, NOW);

    assertThat(completion.record(legacy, aSuccessFor(job), NOW))
        .isInstanceOf(CompletionStep.Duplicate.class);
  }

  @Test
  void shouldExpireAJobThatHasNotEndedAtItsDeadline() {
    Instant deadline = NOW.plusSeconds(60);
    JobProgress running =
        ((CompletionStep.Started)
                completion.record(JobProgress.NONE, aStartFor(aJob().build()), NOW))
            .progress()
            .withDeadline(deadline);

    assertThat(completion.expire(running, "d6", "tenant-a", deadline, deadline.minusMillis(1)))
        .isInstanceOf(CompletionStep.Duplicate.class);
    var step = completion.expire(running, "d6", "tenant-a", deadline, deadline.plusMillis(5));

    JobEvent event = completed(step);
    assertThat(event.eventId()).isEqualTo("d6.expired");
    assertThat(event.tenantId()).isEqualTo("tenant-a");
    assertThat(event.status()).isEqualTo(JobStatus.EXPIRED);
    assertThat(event.error().code()).isEqualTo("deadline_exceeded");
    assertThat(event.error().message()).doesNotContain("reverse");
    assertThat(event.occurredAt()).isEqualTo(deadline);
    JobProgress expired = ((CompletionStep.Completed) step).progress();
    assertThat(expired.terminalStatus()).isEqualTo(JobStatus.EXPIRED);
    assertThat(expired.finishedAt()).isEqualTo(deadline.plusMillis(5));
  }

  @Test
  void shouldNotExpireAJobThatEndedBeforeItsDeadline() {
    Instant deadline = NOW.plusSeconds(60);
    JobProgress done =
        completedProgress(completion.record(JobProgress.NONE, aSuccessFor(aJob().build()), NOW));

    assertThat(completion.expire(done, "d7", "tenant-a", deadline, deadline.plusSeconds(1)))
        .isInstanceOf(CompletionStep.Duplicate.class);
  }

  @Test
  void shouldRecordOnlyTheCostOfAResultThatArrivesAfterTheJobExpired() {
    SubmittedJob job = aJob().withId("d8").build();
    Instant deadline = NOW.plusSeconds(60);
    JobProgress expired =
        completedProgress(
            completion.expire(
                JobProgress.NONE.withDeadline(deadline), "d8", "tenant-a", deadline, deadline));

    var step = completion.record(expired, aSuccessFor(job), deadline.plusSeconds(5));

    assertThat(step).isInstanceOf(CompletionStep.LateCost.class);
    JobEvent event = ((CompletionStep.LateCost) step).event();
    assertThat(event.eventId()).isEqualTo("d8.cost.1");
    assertThat(event.status()).isEqualTo(JobStatus.EXPIRED);
    assertThat(event.costUsd()).isEqualByComparingTo("0.0000036");
    assertThat(event.output()).isNull();
  }

  @Test
  void shouldKeepTheEntryOfAJobThatFellBackForLateBatchLines() {
    SubmittedJob job = aJob().build();
    JobProgress fellBack =
        placed(
                completion.record(
                    JobProgress.NONE, aPlacementFor(job, Stage.REALTIME_FALLBACK, 1, null), NOW))
            .progress();
    JobProgress done = completedProgress(completion.record(fellBack, aSuccessFor(job), NOW));
    Duration retention = Duration.ofHours(1);
    Duration window = Duration.ofHours(24);

    assertThat(done.isExpired(NOW.plus(Duration.ofHours(2)), retention, window)).isFalse();
    assertThat(done.isExpired(NOW.plus(window), retention, window)).isTrue();
  }

  private static CompletionStep.Placed placed(CompletionStep step) {
    assertThat(step).isInstanceOf(CompletionStep.Placed.class);
    return (CompletionStep.Placed) step;
  }

  private static JobProgress completedProgress(CompletionStep step) {
    assertThat(step).isInstanceOf(CompletionStep.Completed.class);
    return ((CompletionStep.Completed) step).progress();
  }

  private static JobEvent completed(CompletionStep step) {
    assertThat(step).isInstanceOf(CompletionStep.Completed.class);
    return ((CompletionStep.Completed) step).event();
  }

  private static TaskResult withoutError(TaskResult r) {
    return new TaskResult(
        Versioned.CURRENT,
        r.taskId(),
        r.jobId(),
        r.tenantId(),
        TaskOutcome.FAILED,
        null,
        r.usage(),
        r.provider(),
        r.model(),
        null,
        null,
        r.attempts(),
        r.startedAt(),
        r.finishedAt());
  }

  private static TaskResult withTaskId(TaskResult r, String taskId) {
    return new TaskResult(
        Versioned.CURRENT,
        taskId,
        r.jobId(),
        r.tenantId(),
        r.outcome(),
        r.output(),
        r.usage(),
        r.provider(),
        r.model(),
        r.costUsd(),
        r.error(),
        r.attempts(),
        r.startedAt(),
        r.finishedAt());
  }

  private static TaskResult withoutFinishedAt(TaskResult r) {
    return new TaskResult(
        Versioned.CURRENT,
        r.taskId(),
        r.jobId(),
        r.tenantId(),
        r.outcome(),
        r.output(),
        r.usage(),
        r.provider(),
        r.model(),
        r.costUsd(),
        r.error(),
        r.attempts(),
        r.startedAt(),
        null);
  }
}
