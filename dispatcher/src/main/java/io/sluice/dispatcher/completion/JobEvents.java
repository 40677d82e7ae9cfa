package io.sluice.dispatcher.completion;

import io.sluice.schemas.Versioned;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.job.ProviderAttempt;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.task.TaskResult;
import java.time.Instant;
import java.util.List;

/**
 * The job events the dispatcher publishes. Event IDs are derived from what the event says, so a
 * replay yields the same ID: {@code <jobId>.<status>} for a status a job reaches once, {@code
 * <jobId>.placed.<stage>.<attempt>[.<providerBatchId>]} for each place the deferred lane moves its
 * task to, and {@code <jobId>.cost.<n>} for the cost of a result that came after the job's end.
 */
public final class JobEvents {
  /** The error of a job whose deadline passed before it finished. */
  public static final String DEADLINE_EXCEEDED = "deadline_exceeded";

  private JobEvents() {}

  public static String eventId(String jobId, JobStatus status) {
    return jobId + "." + status.wireName();
  }

  /** The ID of the event of a job's task reaching {@code placement}. */
  public static String placedEventId(String jobId, Placement placement) {
    return jobId + ".placed." + JobProgress.placementKey(placement);
  }

  /** The ID of the {@code n}th recorded terminal result's cost, for a result after the end. */
  public static String costEventId(String jobId, int n) {
    return jobId + ".cost." + n;
  }

  /** The job failed before any task ran (it could not be dispatched). */
  public static JobEvent failed(SubmittedJob job, ErrorInfo error, Instant occurredAt) {
    return new JobEvent(
        Versioned.CURRENT,
        eventId(job.jobId(), JobStatus.FAILED),
        job.jobId(),
        job.tenantId(),
        JobStatus.FAILED,
        null,
        TokenUsage.NONE,
        null,
        null,
        null,
        error,
        0,
        null,
        occurredAt);
  }

  /** The job's first task started its first provider call at {@code started.startedAt()}. */
  public static JobEvent running(TaskResult started) {
    return new JobEvent(
        Versioned.CURRENT,
        eventId(started.jobId(), JobStatus.RUNNING),
        started.jobId(),
        started.tenantId(),
        JobStatus.RUNNING,
        null,
        TokenUsage.NONE,
        started.provider(),
        started.model(),
        null,
        null,
        0,
        started.startedAt(),
        started.startedAt());
  }

  /**
   * The deferred lane moved the job's task to {@code placed.placement()}, at its {@code since} (or
   * {@code fallbackTime} when it does not say).
   *
   * @param status {@code queued} or {@code running}
   * @param starts whether this placement starts the job (its {@code started_at})
   */
  public static JobEvent placed(
      TaskResult placed, JobStatus status, boolean starts, Instant fallbackTime) {
    Placement where = placed.placement();
    Instant at = where.since() == null ? fallbackTime : where.since();
    return new JobEvent(
        Versioned.CURRENT,
        placedEventId(placed.jobId(), where),
        placed.jobId(),
        placed.tenantId(),
        status,
        null,
        TokenUsage.NONE,
        placed.provider(),
        placed.model(),
        null,
        null,
        0,
        starts ? at : null,
        at,
        where,
        null);
  }

  /**
   * The terminal event of a job whose last task ended with {@code result}, with where the deferred
   * lane had it and its realtime price, and for a task with a response schema its parsed output and
   * repair calls. It happened when the result was known ({@code finishedAt}), or at {@code
   * fallbackTime} for a result without one.
   */
  public static JobEvent completed(TaskResult result, Instant fallbackTime) {
    JobStatus status = statusOf(result.outcome());
    return new JobEvent(
        Versioned.CURRENT,
        eventId(result.jobId(), status),
        result.jobId(),
        result.tenantId(),
        status,
        status == JobStatus.SUCCEEDED ? result.output() : null,
        result.usage(),
        result.provider(),
        result.model(),
        result.costUsd(),
        status == JobStatus.FAILED || status == JobStatus.EXPIRED ? errorOf(result) : null,
        result.attempts(),
        result.startedAt(),
        finishedAt(result, fallbackTime),
        result.placement(),
        result.realtimeCostUsd(),
        null,
        status == JobStatus.SUCCEEDED ? result.outputJson() : null,
        result.repairs());
  }

  /**
   * The terminal event {@code ended} of a job with a fallback chain: the totals of every entry it
   * tried ({@code counted}: usage, cost, calls) and the entries themselves, in order.
   */
  public static JobEvent alongChain(
      JobEvent ended, JobProgress counted, List<ProviderAttempt> tried) {
    return new JobEvent(
            ended.schemaVersion(),
            ended.eventId(),
            ended.jobId(),
            ended.tenantId(),
            ended.status(),
            ended.output(),
            counted.usage(),
            ended.provider(),
            ended.model(),
            counted.costUsd(),
            ended.error(),
            counted.attempts(),
            ended.startedAt(),
            ended.occurredAt(),
            ended.placement(),
            ended.realtimeCostUsd(),
            ended.progress(),
            ended.outputJson(),
            ended.repairs())
        .withProviderAttempts(tried);
  }

  /**
   * The job's deadline passed before it finished: it expired at {@code deadline}, with what its
   * progress knows (cost and calls so far, where its task was).
   */
  public static JobEvent expired(
      String jobId, String tenantId, JobProgress progress, Instant deadline) {
    return new JobEvent(
        Versioned.CURRENT,
        eventId(jobId, JobStatus.EXPIRED),
        jobId,
        tenantId,
        JobStatus.EXPIRED,
        null,
        progress.usage(),
        null,
        null,
        progress.costUsd(),
        ErrorInfo.permanent(DEADLINE_EXCEEDED, "the job's deadline passed before it finished"),
        progress.attempts(),
        null,
        deadline,
        progress.placement(),
        null);
  }

  /**
   * The job was cancelled at {@code cancelledAt} before it finished, with what its progress knows
   * (cost and calls so far, where its task was).
   */
  public static JobEvent cancelled(
      String jobId, String tenantId, JobProgress progress, Instant cancelledAt) {
    return new JobEvent(
        Versioned.CURRENT,
        eventId(jobId, JobStatus.CANCELLED),
        jobId,
        tenantId,
        JobStatus.CANCELLED,
        null,
        progress.usage(),
        null,
        null,
        progress.costUsd(),
        null,
        progress.attempts(),
        null,
        cancelledAt,
        progress.placement(),
        null);
  }

  /**
   * A terminal result of a job that had already ended: not a new outcome, but its cost. The event
   * repeats the job's terminal status with the job's new cumulative cost, usage and attempts.
   *
   * @param progress the job's progress with {@code late} counted
   */
  public static JobEvent lateCost(TaskResult late, JobProgress progress, Instant fallbackTime) {
    return new JobEvent(
        Versioned.CURRENT,
        costEventId(late.jobId(), progress.results().size()),
        late.jobId(),
        late.tenantId(),
        progress.terminalStatus(),
        null,
        progress.usage(),
        late.provider(),
        late.model(),
        progress.costUsd(),
        null,
        progress.attempts(),
        null,
        finishedAt(late, fallbackTime),
        null,
        null);
  }

  /** The job status a terminal task outcome gives its job. */
  static JobStatus statusOf(TaskOutcome outcome) {
    return switch (outcome) {
      case SUCCEEDED -> JobStatus.SUCCEEDED;
      case FAILED -> JobStatus.FAILED;
      case EXPIRED -> JobStatus.EXPIRED;
      case CANCELLED -> JobStatus.CANCELLED;
      case STARTED, PLACED ->
          throw new IllegalArgumentException("a " + outcome + " task does not end its job");
    };
  }

  private static Instant finishedAt(TaskResult result, Instant fallbackTime) {
    return result.finishedAt() == null ? fallbackTime : result.finishedAt();
  }

  private static ErrorInfo errorOf(TaskResult result) {
    return result.error() != null
        ? result.error()
        : ErrorInfo.permanent(
            "task_failed", "task " + result.taskId() + " failed without an error description");
  }
}
