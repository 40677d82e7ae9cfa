package io.sluice.jobapi.job;

import io.sluice.jobapi.idempotency.IdempotencyKeys;
import io.sluice.jobapi.job.internal.BatchJobStore;
import io.sluice.jobapi.job.internal.JobCancel;
import io.sluice.jobapi.job.internal.JobEventProjector;
import io.sluice.jobapi.job.internal.JobIntake;
import io.sluice.jobapi.job.internal.JobQueries;
import io.sluice.jobapi.job.internal.JobRepository;
import io.sluice.jobapi.mapreduce.MapReducePlanner;
import io.sluice.jobapi.outbox.OutboxWriter;
import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.store.GroupCommit;
import io.sluice.schemas.job.JobControl;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.topic.Topic;
import java.time.Clock;
import java.time.Duration;

/** The job feature's parts on PostgreSQL, for job-api's composition root. */
public final class Jobs {
  private Jobs() {}

  /**
   * The intake: validates, applies the Idempotency-Key and commits the job with its outbox record
   * for {@code submittedTopic}; runs {@code afterCommit} after each new job's commit. Jobs without
   * an Idempotency-Key are committed in groups ({@code groupCommit}); close it after the HTTP
   * server. A job whose estimate goes past its {@code max_cost_usd} is refused, a tenant with a
   * token budget has each job's estimate reserved in the job's own transaction, and a job whose
   * identical request the result cache has answered is stored succeeded at once ({@code controls}).
   */
  public static JobSubmissions intake(
      Database database,
      OutboxWriter outbox,
      IdempotencyKeys idempotency,
      JobRequestParser parser,
      JobIds ids,
      Topic<String, SubmittedJob> submittedTopic,
      Duration idempotencyRetention,
      Runnable afterCommit,
      Clock clock,
      GroupCommit.Settings groupCommit,
      MapReducePlanner planner,
      IntakeControls controls) {
    return new JobIntake(
        database,
        new JobRepository(),
        outbox,
        idempotency,
        parser,
        ids,
        submittedTopic,
        idempotencyRetention,
        afterCommit,
        clock,
        groupCommit,
        planner,
        controls);
  }

  /**
   * Cancels: checks the job and commits a cancel record for {@code controlTopic} with it; runs
   * {@code afterCommit} after each commit that wrote one.
   */
  public static JobCancels cancels(
      Database database,
      OutboxWriter outbox,
      Topic<String, JobControl> controlTopic,
      Runnable afterCommit,
      Clock clock) {
    return new JobCancel(database, new JobRepository(), outbox, controlTopic, afterCommit, clock);
  }

  /** The jobs of bulk batches; new ones are published to {@code submittedTopic} via the outbox. */
  public static BatchJobs batchJobs(
      Database database, OutboxWriter outbox, Topic<String, SubmittedJob> submittedTopic) {
    return new BatchJobStore(database, new JobRepository(), outbox, submittedTopic);
  }

  public static JobLookup lookup(Database database) {
    return new JobQueries(database, new JobRepository());
  }

  /** The projection of job events into the job rows. */
  public static JobEventHandler projector(Database database, Clock clock) {
    return projector(database, JobFinishedListener.NONE, clock);
  }

  /**
   * The projection of job events into the job rows; {@code finished} is told of each job that
   * reaches a terminal status, inside the transaction that stores it.
   */
  public static JobEventHandler projector(
      Database database, JobFinishedListener finished, Clock clock) {
    return projector(database, finished, JobChangedListener.NONE, clock);
  }

  /**
   * The projection of job events into the job rows; {@code finished} is told of each job that
   * reaches a terminal status and {@code changed} of each status change, inside the transaction
   * that stores it.
   */
  public static JobEventHandler projector(
      Database database, JobFinishedListener finished, JobChangedListener changed, Clock clock) {
    return projector(database, finished, changed, JobUpdatedListener.NONE, clock);
  }

  /**
   * The projection of job events into the job rows, telling {@code finished} of each job that
   * reaches a terminal status, {@code changed} of each status change and {@code updated} of every
   * change, inside the transaction that stores it.
   */
  public static JobEventHandler projector(
      Database database,
      JobFinishedListener finished,
      JobChangedListener changed,
      JobUpdatedListener updated,
      Clock clock) {
    return projector(database, new JobListeners(finished, changed, updated), clock);
  }

  /** The projection of job events into the job rows, telling {@code listeners} of each change. */
  public static JobEventHandler projector(Database database, JobListeners listeners, Clock clock) {
    return new JobEventProjector(database, new JobRepository(), listeners, clock);
  }
}
