package io.sluice.jobapi.bulk.batches.internal;

import io.sluice.jobapi.bulk.BulkIds;
import io.sluice.jobapi.bulk.BulkSettings;
import io.sluice.jobapi.bulk.batches.BatchEndedListener;
import io.sluice.jobapi.bulk.batches.BatchLineParser;
import io.sluice.jobapi.bulk.batches.BatchRequestParser;
import io.sluice.jobapi.bulk.batches.Batches;
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

/** Builds the batches feature; see {@code Batches}. */
public final class BatchParts {
  private final Database database;
  private final BatchJobs jobs;
  private final BatchRepository batches = new BatchRepository();
  private final ResultLines results;

  public BatchParts(Database database, BatchJobs jobs) {
    this.database = database;
    this.jobs = jobs;
    this.results = new ResultLines(database, batches, jobs);
  }

  public ProducedContent resultFiles() {
    return results;
  }

  public BackgroundLoop progressLoop(
      BulkSettings settings,
      JobCancels cancels,
      BulkFiles files,
      BulkIds ids,
      BatchEndedListener ended,
      Clock clock) {
    return new BackgroundLoop(
        "batch progress",
        BackgroundLoop.Settings.idleWait(settings.progressInterval()),
        new BatchProgress(database, batches, jobs, cancels, files, results, ids, ended, clock));
  }

  public Batches.Api batches(
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
    BatchIntake intake =
        new BatchIntake(
            database,
            batches,
            files,
            jobs,
            new BatchLineParser(parser, BatchRequestParser.CHAT_COMPLETIONS),
            ids,
            jobIds,
            settings.maxLineBytes(),
            settings.maxLines(),
            afterCommit,
            ended,
            clock,
            estimator,
            budget);
    BackgroundLoop loop =
        BackgroundLoop.ofLongSteps(
            "batch intake",
            BackgroundLoop.Settings.idleWait(settings.progressInterval()),
            intake::step);
    return new Batches.Api(
        new BatchStore(database, batches, jobs, intake, loop::wake, wakeProgress, clock), loop);
  }
}
