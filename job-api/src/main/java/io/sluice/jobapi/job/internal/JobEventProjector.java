package io.sluice.jobapi.job.internal;

import io.sluice.jobapi.job.IllegalJobTransitionException;
import io.sluice.jobapi.job.Job;
import io.sluice.jobapi.job.JobEventHandler;
import io.sluice.jobapi.job.JobListeners;
import io.sluice.jobapi.job.JobProjection;
import io.sluice.jobapi.store.Clocks;
import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.store.Transaction;
import io.sluice.schemas.job.JobEvent;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Applies one job event to the job row, in a transaction that locks the row. */
public final class JobEventProjector implements JobEventHandler {
  private static final Logger LOG = LoggerFactory.getLogger(JobEventProjector.class);

  private final Database database;
  private final JobRepository jobs;
  private final JobListeners listeners;
  private final Clock clock;

  public JobEventProjector(
      Database database, JobRepository jobs, JobListeners listeners, Clock clock) {
    this.database = database;
    this.jobs = jobs;
    this.listeners = listeners;
    this.clock = clock;
  }

  @Override
  public void project(JobEvent event) {
    database.inTransaction(
        c -> {
          apply(c, event);
          return null;
        });
  }

  private void apply(Connection c, JobEvent event) throws SQLException {
    Optional<Job> job = jobs.lock(c, event.jobId());
    if (job.isEmpty()) {
      LOG.warn("job event {} names unknown job {}; skipped", event.eventId(), event.jobId());
      return;
    }
    try {
      switch (JobProjection.decide(job.get(), event, Clocks.now(clock))) {
        case JobProjection.Apply apply -> store(c, job.get(), apply.job());
        case JobProjection.Skip skip -> logSkip(event, skip);
      }
    } catch (IllegalJobTransitionException e) {
      LOG.warn("{}; event {} skipped", e.getMessage(), event.eventId());
    }
  }

  // The listeners write in this transaction: what they record exists exactly when the change was
  // committed. A late cost update of a finished job is not a second finish.
  private void store(Connection c, Job before, Job after) throws SQLException {
    jobs.updateOutcome(c, after);
    listeners.stored(new Transaction(c), before, after);
  }

  private static void logSkip(JobEvent event, JobProjection.Skip skip) {
    if (skip.unexpected()) {
      LOG.warn(
          "job event {} for job {} skipped: {}", event.eventId(), event.jobId(), skip.reason());
    } else {
      LOG.debug(
          "job event {} for job {} skipped: {}", event.eventId(), event.jobId(), skip.reason());
    }
  }
}
