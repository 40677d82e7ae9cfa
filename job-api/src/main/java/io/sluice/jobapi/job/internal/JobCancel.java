package io.sluice.jobapi.job.internal;

import io.sluice.jobapi.job.Cancellation;
import io.sluice.jobapi.job.Job;
import io.sluice.jobapi.job.JobCancels;
import io.sluice.jobapi.job.JobFinishedException;
import io.sluice.jobapi.job.JobIds;
import io.sluice.jobapi.outbox.OutboxWriter;
import io.sluice.jobapi.store.Clocks;
import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.store.Transaction;
import io.sluice.schemas.job.JobControl;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.topic.Topic;
import java.nio.charset.StandardCharsets;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cancels jobs: locks the job row, checks it, and writes a {@link JobControl} cancel to the outbox
 * in the same transaction, so an accepted cancel is never lost. The row itself is not changed: the
 * dispatcher decides (a job that ends otherwise first stays as it ended), and its {@code cancelled}
 * event reaches the row through the projection.
 */
public final class JobCancel implements JobCancels {
  private static final Logger LOG = LoggerFactory.getLogger(JobCancel.class);

  private final Database database;
  private final JobRepository jobs;
  private final OutboxWriter outbox;
  private final Topic<String, JobControl> controlTopic;
  private final Runnable afterCommit;
  private final Clock clock;

  public JobCancel(
      Database database,
      JobRepository jobs,
      OutboxWriter outbox,
      Topic<String, JobControl> controlTopic,
      Runnable afterCommit,
      Clock clock) {
    this.database = database;
    this.jobs = jobs;
    this.outbox = outbox;
    this.controlTopic = controlTopic;
    this.afterCommit = afterCommit;
    this.clock = clock;
  }

  @Override
  public Optional<Cancellation> cancel(String tenantId, String jobId) {
    if (!JobIds.isWellFormed(jobId)) {
      return Optional.empty(); // e.g. a NUL, which PostgreSQL would refuse as a parameter
    }
    Instant now = Clocks.now(clock);
    Optional<Cancellation> cancellation =
        database.inTransaction(c -> request(new Transaction(c), tenantId, jobId, now));
    cancellation
        .filter(requested -> !requested.alreadyCancelled())
        .ifPresent(
            requested -> {
              LOG.debug("cancel of job {} requested by tenant {}", jobId, tenantId);
              afterCommit.run();
            });
    return cancellation;
  }

  private Optional<Cancellation> request(Transaction tx, String tenantId, String jobId, Instant now)
      throws SQLException {
    Optional<Job> locked =
        jobs.lock(tx.connection(), jobId).filter(job -> job.tenantId().equals(tenantId));
    if (locked.isEmpty()) {
      return Optional.empty();
    }
    Job job = locked.get();
    if (job.status() == JobStatus.CANCELLED) {
      return Optional.of(new Cancellation(job, true));
    }
    if (job.status().isTerminal()) {
      throw new JobFinishedException(job.id(), job.status());
    }
    outbox.append(tx, controlTopic.name(), job.id(), payloadOf(job, now), now);
    return Optional.of(new Cancellation(job, false));
  }

  private String payloadOf(Job job, Instant now) {
    byte[] bytes =
        controlTopic
            .valueSerde()
            .serializer()
            .serialize(controlTopic.name(), JobControl.cancel(job.id(), job.tenantId(), now));
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
