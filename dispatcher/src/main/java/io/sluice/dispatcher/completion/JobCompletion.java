package io.sluice.dispatcher.completion;

import io.sluice.dispatcher.fallback.FallbackPlan;
import io.sluice.dispatcher.fallback.FallbackRouting;
import io.sluice.lane.DeadlinePolicy;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.task.TaskResult;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Records task results against their job and decides when the job runs and when it is done.
 *
 * <ul>
 *   <li>The first start of any of its tasks makes a queued job {@code running}; later starts
 *       (retries on another worker, replays) change nothing.
 *   <li>A placement by the deferred lane is published once (per stage, attempt and provider batch)
 *       while the job has not ended: {@code queued} for {@code pending} while the job has not
 *       started, otherwise {@code running}; any other stage starts the job.
 *   <li>A completion job has one task ({@link Task#completionTaskId}), so its first terminal result
 *       ends it ({@code succeeded}, {@code failed} or {@code expired}).
 *   <li>A further terminal result after the end (the deferred batch line of a task that fell back
 *       to realtime and finished there, or the other way round) is not a new outcome, but its cost
 *       is real: it is counted once and published as the job's new cumulative cost.
 *   <li>A job with a fallback chain ({@link JobProgress#fallback()}) whose current entry failed in
 *       a way that lets it fall back ({@link FallbackRouting#next}) does not end: its task moves to
 *       the next entry ({@link CompletionStep.FellBack}), the failed entry counted in its cost and
 *       attempts. A failed result of an earlier entry (a redelivery) changes nothing. Its terminal
 *       event carries every entry tried and the totals of all of them.
 *   <li>A job not ended at its deadline expires ({@link #expire}).
 *   <li>A cancel ends a job that has not ended {@code cancelled} ({@link #cancel}); a cancel of an
 *       ended job, a second cancel, changes nothing. A worker that dropped the task of a cancelled
 *       job says so with a {@code cancelled} result: it cancels the job too if it overtook the
 *       cancel itself. A result of a call that was already running when the job was cancelled comes
 *       after the end: its cost is counted, the outcome stays.
 * </ul>
 *
 * Map-reduce jobs will add their map and reduce tasks here.
 */
public final class JobCompletion {
  private final DeadlinePolicy deadlines;
  private final FallbackRouting fallback;

  /** With the providers' default batch window ({@link DeadlinePolicy#DEFAULT}). */
  public JobCompletion() {
    this(DeadlinePolicy.DEFAULT);
  }

  /** Without fallback chains: a failed task fails its job. */
  public JobCompletion(DeadlinePolicy deadlines) {
    this(deadlines, null);
  }

  /**
   * @param fallback moves the task of a job with a fallback chain to the chain's next entry when
   *     its failure allows it; {@code null} for none
   */
  public JobCompletion(DeadlinePolicy deadlines, FallbackRouting fallback) {
    this.deadlines = Objects.requireNonNull(deadlines, "deadlines");
    this.fallback = fallback;
  }

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
    return switch (result.outcome()) {
      case STARTED -> started(progress, result);
      case PLACED -> placed(progress, result, now);
      case SUCCEEDED, FAILED, EXPIRED, CANCELLED -> finished(progress, result, now);
    };
  }

  /**
   * The job's deadline is {@code deadline}; at {@code now} it has expired if it has not ended. Its
   * end is recorded at {@code now}; the event says it expired at its deadline.
   */
  public CompletionStep expire(
      JobProgress progress, String jobId, String tenantId, Instant deadline, Instant now) {
    if (progress.isTerminal()) {
      return new CompletionStep.Duplicate(
          "job " + jobId + " already ended " + progress.terminalStatus().wireName());
    }
    if (!deadlines.hasExpired(deadline, now)) {
      return new CompletionStep.Duplicate("job " + jobId + " has not reached its deadline");
    }
    JobProgress ended = progress.withEnd(JobStatus.EXPIRED, now);
    return new CompletionStep.Completed(ended, JobEvents.expired(jobId, tenantId, ended, deadline));
  }

  /**
   * The job is cancelled at {@code now}: it ends {@code cancelled} with what its progress knows,
   * unless it has ended already.
   */
  public CompletionStep cancel(JobProgress progress, String jobId, String tenantId, Instant now) {
    return cancelled(progress, jobId, tenantId, now);
  }

  private static CompletionStep cancelled(
      JobProgress progress, String jobId, String tenantId, Instant now) {
    if (progress.isTerminal()) {
      return new CompletionStep.Duplicate(
          "job " + jobId + " already ended " + progress.terminalStatus().wireName());
    }
    JobProgress ended = progress.withEnd(JobStatus.CANCELLED, now);
    return new CompletionStep.Completed(ended, JobEvents.cancelled(jobId, tenantId, ended, now));
  }

  /** Whether a job with this deadline has expired at {@code now} if it has not ended. */
  public boolean hasExpired(Instant deadline, Instant now) {
    return deadlines.hasExpired(deadline, now);
  }

  private static CompletionStep started(JobProgress progress, TaskResult result) {
    if (progress.started() || progress.isTerminal()) {
      return new CompletionStep.Duplicate(
          "job " + result.jobId() + " is already " + (progress.isTerminal() ? "done" : "running"));
    }
    return new CompletionStep.Started(progress.withStarted(), JobEvents.running(result));
  }

  private static CompletionStep placed(JobProgress progress, TaskResult result, Instant now) {
    Placement where = result.placement();
    if (progress.isTerminal()) {
      return new CompletionStep.Duplicate(
          "job " + result.jobId() + " is already done; placement " + where.stage() + " dropped");
    }
    if (progress.hasPlacement(where)) {
      return new CompletionStep.Duplicate(
          "placement " + JobEvents.placedEventId(result.jobId(), where) + " was already published");
    }
    boolean queued = where.stage() == Placement.Stage.PENDING && !progress.started();
    boolean starts = !queued && !progress.started();
    JobProgress next = starts ? progress.withStarted() : progress;
    JobStatus status = queued ? JobStatus.QUEUED : JobStatus.RUNNING;
    return new CompletionStep.Placed(
        next.withPlacement(where), JobEvents.placed(result, status, starts, now));
  }

  private CompletionStep finished(JobProgress progress, TaskResult result, Instant now) {
    if (progress.hasResult(result) || isLegacyDuplicate(progress, result)) {
      return new CompletionStep.Duplicate(
          "task " + result.taskId() + " of job " + result.jobId() + " was already recorded");
    }
    if (progress.isTerminal()) {
      return lateCost(progress, result, now);
    }
    if (isCancelledTask(result)) {
      JobProgress counted = progress.withResult(result);
      return cancelled(counted, result.jobId(), result.tenantId(), finishedAtOf(result, now));
    }
    FallbackPlan plan = progress.fallback();
    if (plan != null && result.outcome() == TaskOutcome.FAILED) {
      if (!plan.isCurrent(result)) {
        return new CompletionStep.Duplicate(
            "job "
                + result.jobId()
                + ": a failure of an earlier fallback entry ("
                + result.provider()
                + ") after its task moved on");
      }
      Optional<FallbackRouting.Step> next =
          fallback == null ? Optional.empty() : fallback.next(plan, result, now);
      if (next.isPresent()) {
        return new CompletionStep.FellBack(
            progress.withResult(result).withFallback(next.get().plan()), next.get().task());
      }
    }
    var event = JobEvents.completed(result, now);
    JobProgress counted =
        progress.withFinished(result.taskId(), event.status(), now).withResult(result);
    if (plan != null) {
      event = JobEvents.alongChain(event, counted, plan.with(result));
    }
    return new CompletionStep.Completed(counted, event);
  }

  private static CompletionStep lateCost(JobProgress progress, TaskResult result, Instant now) {
    if (addsNothing(result)) {
      return new CompletionStep.Duplicate(
          "task "
              + result.taskId()
              + " of job "
              + result.jobId()
              + " ended again after the job without cost, usage or calls");
    }
    JobProgress counted = progress.withResult(result);
    return new CompletionStep.LateCost(counted, JobEvents.lateCost(result, counted, now));
  }

  /** A worker dropped the task because its job was cancelled. */
  private static boolean isCancelledTask(TaskResult result) {
    return result.outcome() == TaskOutcome.CANCELLED;
  }

  private static Instant finishedAtOf(TaskResult result, Instant now) {
    return result.finishedAt() == null ? now : result.finishedAt();
  }

  /**
   * An entry written before results were counted knows only that the task finished: any further
   * result of it is taken for a redelivery, as it was then.
   */
  private static boolean isLegacyDuplicate(JobProgress progress, TaskResult result) {
    return progress.results().isEmpty() && progress.hasFinished(result.taskId());
  }

  private static boolean addsNothing(TaskResult result) {
    return isZero(result.costUsd()) && result.usage().totalTokens() == 0 && result.attempts() == 0;
  }

  private static boolean isZero(BigDecimal amount) {
    return amount == null || amount.signum() == 0;
  }
}
