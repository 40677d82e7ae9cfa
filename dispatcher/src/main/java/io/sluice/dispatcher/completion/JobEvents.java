package io.sluice.dispatcher.completion;

import io.sluice.schemas.Versioned;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.task.TaskResult;
import java.time.Instant;

/**
 * The job events the dispatcher publishes. Event IDs are derived from the job and the status it
 * reaches ({@code <jobId>.<status>}), so a replay yields the same ID and a job can reach each
 * status through one event ID only.
 */
public final class JobEvents {
  private JobEvents() {}

  public static String eventId(String jobId, JobStatus status) {
    return jobId + "." + status.wireName();
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
   * The terminal event of a job whose last task ended with {@code result}. It happened when the
   * result was known ({@code finishedAt}), or at {@code fallbackTime} for a result without one.
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
        result.finishedAt() == null ? fallbackTime : result.finishedAt());
  }

  private static JobStatus statusOf(TaskOutcome outcome) {
    return switch (outcome) {
      case SUCCEEDED -> JobStatus.SUCCEEDED;
      case FAILED -> JobStatus.FAILED;
      case EXPIRED -> JobStatus.EXPIRED;
      case STARTED, PLACED ->
          throw new IllegalArgumentException("a " + outcome + " task does not end its job");
    };
  }

  private static ErrorInfo errorOf(TaskResult result) {
    return result.error() != null
        ? result.error()
        : ErrorInfo.permanent(
            "task_failed", "task " + result.taskId() + " failed without an error description");
  }
}
