package io.sluice.jobapi.bulk.batches;

import io.sluice.jobapi.bulk.BulkIds;
import io.sluice.jobapi.bulk.BulkSettings;
import io.sluice.jobapi.bulk.batches.internal.BatchParts;
import io.sluice.jobapi.bulk.files.BulkFiles;
import io.sluice.jobapi.bulk.files.ProducedContent;
import io.sluice.jobapi.job.BatchJobs;
import io.sluice.jobapi.job.JobBudget;
import io.sluice.jobapi.job.JobCancels;
import io.sluice.jobapi.job.JobEstimator;
import io.sluice.jobapi.job.JobIds;
import io.sluice.jobapi.job.JobRequestParser;
import io.sluice.jobapi.store.Database;
import io.sluice.lifecycle.BackgroundLoop;
import java.time.Clock;

/**
 * The batches feature's parts on PostgreSQL, for job-api's composition root: first {@link
 * #resultFiles} (the files feature writes output and error files with it), then {@link #batches}
 * and {@link #progressLoop} on the files.
 */
public final class Batches {
  private final BatchParts parts;

  private Batches(BatchParts parts) {
    this.parts = parts;
  }

  public static Batches on(Database database, BatchJobs jobs) {
    return new Batches(new BatchParts(database, jobs));
  }

  /** Writes a batch's output and error files from its job rows. */
  public ProducedContent resultFiles() {
    return parts.resultFiles();
  }

  /** The API's batches and the loop that takes in their input files (start it, close it). */
  public record Api(BulkBatches batches, BackgroundLoop intake) {}

  /**
   * The API's batches; {@code afterCommit} runs after a batch's jobs are committed. A line over its
   * {@code max_cost_usd} is a bad line ({@code estimator}); a tenant with a token budget has the
   * whole batch's estimate reserved with its jobs, or the batch fails ({@code budget}).
   */
  public Api batches(
      BulkSettings settings,
      BulkFiles files,
      JobRequestParser parser,
      BulkIds ids,
      JobIds jobIds,
      Runnable afterCommit,
      Runnable wakeProgress,
      BatchEndedListener ended,
      Clock clock,
      JobEstimator estimator,
      JobBudget budget) {
    return parts.batches(
        settings,
        files,
        parser,
        ids,
        jobIds,
        afterCommit,
        wakeProgress,
        ended,
        clock,
        estimator,
        budget);
  }

  /** The loop that sends cancels and ends batches whose jobs have all ended (not started). */
  public BackgroundLoop progressLoop(
      BulkSettings settings,
      JobCancels cancels,
      BulkFiles files,
      BulkIds ids,
      BatchEndedListener ended,
      Clock clock) {
    return parts.progressLoop(settings, cancels, files, ids, ended, clock);
  }
}
