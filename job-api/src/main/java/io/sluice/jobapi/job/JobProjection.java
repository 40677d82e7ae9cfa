package io.sluice.jobapi.job;

import io.sluice.jobapi.job.Job.JobOutcome;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import java.time.Instant;

/**
 * Decides what a job event does to a stored job. Events arrive at least once and in order per job
 * (keyed by job ID), so duplicates and events for finished jobs are skipped, never applied twice.
 */
public final class JobProjection {
  private JobProjection() {}

  /** What to do with one event. */
  public sealed interface Decision {}

  /** Store {@code job}, the result of the event. */
  public record Apply(Job job) implements Decision {}

  /**
   * Leave the row as it is.
   *
   * @param reason why, for the log
   * @param unexpected whether this points at a bug upstream (worth a warning) rather than a normal
   *     redelivery
   */
  public record Skip(String reason, boolean unexpected) implements Decision {}

  /**
   * The effect of {@code event} on {@code job}.
   *
   * @throws IllegalJobTransitionException when the event moves the job backwards (e.g. {@code
   *     running → queued}); the caller logs and skips it
   */
  public static Decision decide(Job job, JobEvent event, Instant now) {
    if (event.tenantId() != null && !event.tenantId().equals(job.tenantId())) {
      return new Skip("event " + event.eventId() + " names another tenant", true);
    }
    if (event.eventId().equals(job.outcome().lastEventId())) {
      return new Skip("event " + event.eventId() + " was already applied", false);
    }
    if (job.status().isTerminal()) {
      return new Skip("job is already " + job.status().wireName(), false);
    }
    JobOutcome outcome = merge(job.outcome(), event, now);
    if (event.status() == job.status()) {
      return new Apply(job.withOutcome(job.status(), outcome, now));
    }
    return new Apply(job.moveTo(event.status(), outcome, now));
  }

  private static JobOutcome merge(JobOutcome old, JobEvent event, Instant now) {
    return new JobOutcome(
        firstNonNull(event.output(), old.output()),
        firstNonNull(event.usage(), old.usage()),
        firstNonNull(event.provider(), old.provider()),
        firstNonNull(event.model(), old.providerModel()),
        firstNonNull(event.costUsd(), old.costUsd()),
        firstNonNull(event.error(), old.error()),
        Math.max(old.attempts(), event.attempts()),
        startedAt(old, event),
        event.status().isTerminal() ? firstNonNull(event.occurredAt(), now) : null,
        event.eventId());
  }

  private static Instant startedAt(JobOutcome old, JobEvent event) {
    if (old.startedAt() != null) {
      return old.startedAt();
    }
    if (event.startedAt() != null) {
      return event.startedAt();
    }
    return event.status() == JobStatus.RUNNING ? event.occurredAt() : null;
  }

  private static <T> T firstNonNull(T preferred, T fallback) {
    return preferred != null ? preferred : fallback;
  }
}
