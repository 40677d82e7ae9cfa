package io.sluice.dispatcher.completion;

import static io.sluice.dispatcher.JobFixtures.NOW;
import static io.sluice.dispatcher.JobFixtures.aFailureFor;
import static io.sluice.dispatcher.JobFixtures.aJob;
import static io.sluice.dispatcher.JobFixtures.aStartFor;
import static io.sluice.dispatcher.JobFixtures.aSuccessFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.Versioned;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.task.TaskResult;
import java.math.BigDecimal;
import java.time.Duration;
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
  void shouldIgnoreASecondResultOfTheSameTask() {
    var job = aJob().build();
    var first = completion.record(JobProgress.NONE, aSuccessFor(job), NOW);
    JobProgress progress = ((CompletionStep.Completed) first).progress();

    assertThat(progress.isTerminal()).isTrue();
    assertThat(completion.record(progress, aSuccessFor(job), NOW))
        .isInstanceOf(CompletionStep.Duplicate.class);
    assertThat(completion.record(progress, aFailureFor(job), NOW))
        .isInstanceOf(CompletionStep.Duplicate.class);
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
