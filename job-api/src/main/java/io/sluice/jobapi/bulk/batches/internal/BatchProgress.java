package io.sluice.jobapi.bulk.batches.internal;

import io.sluice.jobapi.bulk.BulkIds;
import io.sluice.jobapi.bulk.batches.Batch;
import io.sluice.jobapi.bulk.batches.BatchEndedListener;
import io.sluice.jobapi.bulk.batches.BatchStatus;
import io.sluice.jobapi.bulk.batches.RequestCounts;
import io.sluice.jobapi.bulk.files.BulkFile;
import io.sluice.jobapi.bulk.files.BulkFiles;
import io.sluice.jobapi.job.BatchJobs;
import io.sluice.jobapi.job.JobCancels;
import io.sluice.jobapi.job.JobFinishedException;
import io.sluice.jobapi.store.Clocks;
import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.store.Transaction;
import io.sluice.lifecycle.BackgroundLoop;
import io.sluice.schemas.job.JobStatus;
import java.io.IOException;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves open batches on (one step of a background loop): sends the cancels of a batch being
 * cancelled or past its window through the ordinary job cancel path (once; a crash before it is
 * marked sends them again, which is harmless), and ends a batch whose jobs have all ended — {@code
 * completed}, {@code cancelled} or {@code expired} — with its output and error files.
 */
final class BatchProgress implements BackgroundLoop.Step {
  private static final Logger LOG = LoggerFactory.getLogger(BatchProgress.class);
  private static final int OPEN_PER_STEP = 100;
  private static final int CANCEL_PAGE = 500;

  private final Database database;
  private final BatchRepository batches;
  private final BatchJobs jobs;
  private final JobCancels cancels;
  private final BulkFiles files;
  private final ResultLines results;
  private final BulkIds ids;
  private final BatchEndedListener ended;
  private final Clock clock;

  BatchProgress(
      Database database,
      BatchRepository batches,
      BatchJobs jobs,
      JobCancels cancels,
      BulkFiles files,
      ResultLines results,
      BulkIds ids,
      BatchEndedListener ended,
      Clock clock) {
    this.ended = ended;
    this.database = database;
    this.batches = batches;
    this.jobs = jobs;
    this.cancels = cancels;
    this.files = files;
    this.results = results;
    this.ids = ids;
    this.clock = clock;
  }

  @Override
  public BackgroundLoop.Next run() throws IOException {
    List<Batch> open = database.inTransaction(c -> batches.open(c, OPEN_PER_STEP));
    for (Batch batch : open) {
      advance(batch);
    }
    return BackgroundLoop.Next.IDLE;
  }

  private void advance(Batch batch) throws IOException {
    Instant now = Clocks.now(clock);
    Map<JobStatus, Long> byStatus = jobs.totals(batch.id()).byStatus();
    RequestCounts counts = RequestCounts.of(batch.total(), byStatus);
    boolean pastWindow = !now.isBefore(batch.expiresAt());
    if (counts.unfinished() <= 0) {
      end(
          batch,
          endStatus(batch, pastWindow, byStatus.containsKey(JobStatus.EXPIRED)),
          counts,
          now);
    } else if ((batch.status() == BatchStatus.CANCELLING || pastWindow) && !batch.cancelsSent()) {
      sendCancels(batch);
    }
  }

  // Past its window a batch whose lines did not all finish in time is expired, whether the loop
  // cancelled them or their deadline (the end of the window) expired them first.
  private static BatchStatus endStatus(Batch batch, boolean pastWindow, boolean anyExpired) {
    if (batch.status() == BatchStatus.CANCELLING) {
      return BatchStatus.CANCELLED;
    }
    return pastWindow && (batch.cancelsSent() || anyExpired)
        ? BatchStatus.EXPIRED
        : BatchStatus.COMPLETED;
  }

  private void sendCancels(Batch batch) {
    int sent = 0;
    String after = "";
    for (List<String> page = jobs.unfinished(batch.id(), after, CANCEL_PAGE);
        !page.isEmpty();
        page = jobs.unfinished(batch.id(), after, CANCEL_PAGE)) {
      for (String jobId : page) {
        try {
          cancels.cancel(batch.tenantId(), jobId);
          sent++;
        } catch (JobFinishedException e) {
          // ended meanwhile: it stays in the output or error file as it ended
        }
      }
      after = page.getLast();
    }
    database.inTransaction(
        c -> {
          batches.markCancelsSent(c, batch.id());
          return null;
        });
    LOG.info("batch {}: cancel sent for {} unfinished jobs", batch.id(), sent);
  }

  private void end(Batch batch, BatchStatus status, RequestCounts counts, Instant now)
      throws IOException {
    Batch ending = batch.withStatus(status);
    BulkFile output =
        counts.completed() > 0 ? produced(ending, true, BulkFile.Kind.BATCH_OUTPUT, now) : null;
    BulkFile errors =
        counts.failed() > 0 ? produced(ending, false, BulkFile.Kind.BATCH_ERROR, now) : null;
    database.inTransaction(
        c -> {
          Transaction tx = new Transaction(c);
          boolean ended =
              batches.end(
                  c,
                  batch.id(),
                  batch.status(),
                  status,
                  now,
                  output == null ? null : output.id(),
                  errors == null ? null : errors.id());
          if (ended && output != null) {
            files.recordProduced(tx, output);
          }
          if (ended && errors != null) {
            files.recordProduced(tx, errors);
          }
          if (ended) {
            this.ended.ended(
                tx,
                batch.ended(
                    status,
                    output == null ? null : output.id(),
                    errors == null ? null : errors.id()),
                counts);
          }
          return null;
        });
    LOG.info(
        "batch {} {}: {} succeeded, {} failed or cancelled",
        batch.id(),
        status.wireName(),
        counts.completed(),
        counts.failed());
  }

  // The size is what the file will be when read: the lines are written once to count them.
  private BulkFile produced(Batch batch, boolean output, BulkFile.Kind kind, Instant now)
      throws IOException {
    long bytes = results.write(batch, output, OutputStream.nullOutputStream());
    return new BulkFile(
        ids.nextFile(),
        batch.tenantId(),
        batch.id() + (output ? "_output.jsonl" : "_error.jsonl"),
        "batch_output",
        kind,
        batch.id(),
        bytes,
        now);
  }
}
