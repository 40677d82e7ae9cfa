package io.sluice.dispatcher.completion;

import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.task.TaskResult;
import java.time.Instant;

/**
 * Records task results against their job and decides when the job runs and when it is done. The
 * first start of any of its tasks makes a queued job {@code running}; later starts (retries on
 * another worker, replays) change nothing. A completion job has one task ({@link
 * Task#completionTaskId}), so its first result completes it; later results for it (redeliveries,
 * replays) change nothing. Map-reduce jobs will add their map and reduce tasks here.
 */
public final class JobCompletion {

  /**
   * @param progress what is known about the job so far ({@link JobProgress#NONE} at first)
   * @param result the result to record
   * @param now the dispatcher's time: for a result that does not say when it finished, and as the
   *     time the job's end was recorded
   */
  public CompletionStep record(JobProgress progress, TaskResult result, Instant now) {
    if (!result.taskId().equals(Task.completionTaskId(result.jobId()))) {
      return new CompletionStep.Rejected(
          "task " + result.taskId() + " is not a task of job " + result.jobId());
    }
    if (result.outcome() == TaskOutcome.STARTED || result.outcome() == TaskOutcome.PLACED) {
      return started(progress, result);
    }
    if (progress.hasFinished(result.taskId()) || progress.isTerminal()) {
      return new CompletionStep.Duplicate(
          "task " + result.taskId() + " of job " + result.jobId() + " was already recorded");
    }
    var event = JobEvents.completed(result, now);
    return new CompletionStep.Completed(
        progress.withFinished(result.taskId(), event.status(), now), event);
  }

  private static CompletionStep started(JobProgress progress, TaskResult result) {
    if (progress.started() || progress.isTerminal()) {
      return new CompletionStep.Duplicate(
          "job " + result.jobId() + " is already " + (progress.isTerminal() ? "done" : "running"));
    }
    return new CompletionStep.Started(progress.withStarted(), JobEvents.running(result));
  }
}
