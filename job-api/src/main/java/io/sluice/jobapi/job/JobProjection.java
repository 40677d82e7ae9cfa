package io.sluice.jobapi.job;

import io.sluice.jobapi.job.Job.JobOutcome;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import java.math.BigDecimal;
import java.time.Instant;

/**
 * Decides what a job event does to a stored job. Events arrive at least once and in order per job
 * (keyed by job ID), so duplicates and events for finished jobs are skipped, never applied twice.
 *
 * <p>The deferred lane adds two kinds of event. A <em>placement</em> (a non-terminal event that
 * says where the job's task is: pending, in provider batch X, resubmitted, fallen back to realtime)
 * moves the job's placement, and moves the job to {@code running} once it is past pending. A
 * <em>cost update</em> ({@code <jobId>.cost.<n>}, with the job's own terminal status) comes when a
 * second terminal result of the job's task arrives after the job ended: not a new outcome, but its
 * call was billed, so only cost, usage and attempts change.
 */
public final class JobProjection {
  private static final String COST_UPDATE = ".cost.";

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
      return isCostUpdate(job, event)
          ? decideCostUpdate(job, event, now)
          : new Skip("job is already " + job.status().wireName(), false);
    }
    JobOutcome outcome = merge(job.outcome(), event, now);
    if (event.status() == job.status()) {
      return new Apply(job.withOutcome(job.status(), outcome, now));
    }
    return new Apply(job.moveTo(event.status(), outcome, now));
  }

  /** A late cost update of a finished job: applied only when it is newer than what is stored. */
  private static Decision decideCostUpdate(Job job, JobEvent event, Instant now) {
    JobOutcome old = job.outcome();
    if (lowersCost(old.costUsd(), event.costUsd())) {
      return new Skip("cost update " + event.eventId() + " lowers the stored cost", false);
    }
    if (costUpdateNumber(job, event.eventId()) <= costUpdateNumber(job, old.lastEventId())) {
      return new Skip(
          "cost update " + event.eventId() + " is older than " + old.lastEventId(), false);
    }
    JobOutcome updated =
        old.withCost(event.costUsd(), event.usage(), event.attempts(), event.eventId());
    return new Apply(job.withOutcome(job.status(), updated, now));
  }

  /** Cumulative cost only grows; an unknown cost (no price) stays unknown. */
  private static boolean lowersCost(BigDecimal stored, BigDecimal update) {
    if (update == null) {
      return stored != null;
    }
    return stored != null && update.compareTo(stored) < 0;
  }

  private static boolean isCostUpdate(Job job, JobEvent event) {
    return event.status() == job.status() && costUpdateNumber(job, event.eventId()) > 0;
  }

  /** The {@code n} of {@code <jobId>.cost.<n>}; 0 when {@code eventId} is not such an ID. */
  private static long costUpdateNumber(Job job, String eventId) {
    String prefix = job.id() + COST_UPDATE;
    if (eventId == null || !eventId.startsWith(prefix)) {
      return 0;
    }
    String number = eventId.substring(prefix.length());
    boolean digits =
        !number.isEmpty()
            && number.length() <= 18
            && number.chars().allMatch(c -> c >= '0' && c <= '9');
    return digits ? Long.parseLong(number) : 0;
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
        event.eventId(),
        firstNonNull(event.placement(), old.placement()),
        firstNonNull(event.realtimeCostUsd(), old.realtimeCostUsd()),
        firstNonNull(event.progress(), old.progress()),
        firstNonNull(event.outputJson(), old.outputJson()),
        firstNonNull(event.repairs(), old.repairs()),
        firstNonNull(event.providerAttempts(), old.providerAttempts()),
        old.cacheHit());
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
