package io.sluice.dispatcher.completion;

import static io.sluice.dispatcher.JobFixtures.NOW;
import static io.sluice.dispatcher.JobFixtures.aJob;
import static io.sluice.dispatcher.JobFixtures.aStartFor;
import static io.sluice.dispatcher.JobFixtures.aSuccessFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.task.TaskResult;
import org.junit.jupiter.api.Test;

/** Cancel in the completion policy: first terminal wins, late cost still counted. */
class JobCancelTest {
  private final JobCompletion completion = new JobCompletion();

  @Test
  void shouldCancelAQueuedJobOnceAndIgnoreASecondCancel() {
    var step = completion.cancel(JobProgress.NONE, "c1", "tenant-a", NOW);

    JobEvent event = ((CompletionStep.Completed) step).event();
    assertThat(event.eventId()).isEqualTo("c1.cancelled");
    assertThat(event.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(event.occurredAt()).isEqualTo(NOW);
    JobProgress ended = ((CompletionStep.Completed) step).progress();
    assertThat(completion.cancel(ended, "c1", "tenant-a", NOW.plusSeconds(1)))
        .isInstanceOf(CompletionStep.Duplicate.class);
  }

  @Test
  void shouldNotCancelAJobThatSucceeded() {
    SubmittedJob job = aJob().withId("c2").build();
    var done =
        (CompletionStep.Completed) completion.record(JobProgress.NONE, aSuccessFor(job), NOW);

    assertThat(completion.cancel(done.progress(), "c2", "tenant-a", NOW))
        .isInstanceOf(CompletionStep.Duplicate.class);
  }

  @Test
  void shouldKeepARunningJobCancelledWhenItsCallFinishesButCountWhatItCost() {
    SubmittedJob job = aJob().withId("c3").build();
    var started = (CompletionStep.Started) completion.record(JobProgress.NONE, aStartFor(job), NOW);
    var cancelled =
        (CompletionStep.Completed) completion.cancel(started.progress(), "c3", "tenant-a", NOW);

    var late = completion.record(cancelled.progress(), aSuccessFor(job), NOW);

    assertThat(late).isInstanceOf(CompletionStep.LateCost.class);
    JobEvent cost = ((CompletionStep.LateCost) late).event();
    assertThat(cost.eventId()).isEqualTo("c3.cost.1");
    assertThat(cost.status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(cost.output()).isNull();
    assertThat(cost.costUsd()).isEqualByComparingTo(aSuccessFor(job).costUsd());
  }

  @Test
  void shouldCancelTheJobWhenAWorkerDroppedItsTaskBeforeTheCancelReachedTheDispatcher() {
    SubmittedJob job = aJob().withId("c4").build();
    TaskResult dropped = droppedFor(job);

    var step = (CompletionStep.Completed) completion.record(JobProgress.NONE, dropped, NOW);

    assertThat(step.event().eventId()).isEqualTo("c4.cancelled");
    assertThat(step.event().status()).isEqualTo(JobStatus.CANCELLED);
    assertThat(step.event().error()).isNull();
    assertThat(completion.cancel(step.progress(), "c4", "tenant-a", NOW))
        .isInstanceOf(CompletionStep.Duplicate.class);
    assertThat(completion.record(step.progress(), dropped, NOW))
        .isInstanceOf(CompletionStep.Duplicate.class);
  }

  private static TaskResult droppedFor(SubmittedJob job) {
    TaskResult failed = io.sluice.dispatcher.JobFixtures.aFailureFor(job);
    return new TaskResult(
        failed.schemaVersion(),
        failed.taskId(),
        failed.jobId(),
        failed.tenantId(),
        TaskOutcome.CANCELLED,
        null,
        failed.usage(),
        failed.provider(),
        failed.model(),
        null,
        null,
        0,
        null,
        NOW);
  }
}
