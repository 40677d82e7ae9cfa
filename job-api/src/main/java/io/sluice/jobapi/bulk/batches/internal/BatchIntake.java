package io.sluice.jobapi.bulk.batches.internal;

import io.sluice.jobapi.bulk.BulkIds;
import io.sluice.jobapi.bulk.batches.Batch;
import io.sluice.jobapi.bulk.batches.BatchEndedListener;
import io.sluice.jobapi.bulk.batches.BatchLineParser;
import io.sluice.jobapi.bulk.batches.BatchLineParser.BatchTerms;
import io.sluice.jobapi.bulk.batches.BatchRequest;
import io.sluice.jobapi.bulk.batches.BatchStatus;
import io.sluice.jobapi.bulk.batches.LineError;
import io.sluice.jobapi.bulk.batches.RequestCounts;
import io.sluice.jobapi.bulk.files.BulkFile;
import io.sluice.jobapi.bulk.files.BulkFiles;
import io.sluice.jobapi.job.BatchJobs;
import io.sluice.jobapi.job.FieldError;
import io.sluice.jobapi.job.InvalidJobRequestException;
import io.sluice.jobapi.job.Job;
import io.sluice.jobapi.job.JobBudget;
import io.sluice.jobapi.job.JobEstimator;
import io.sluice.jobapi.job.JobIds;
import io.sluice.jobapi.store.Clocks;
import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.store.Transaction;
import io.sluice.mapreduce.MapReduceRefusal;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns an input file into a batch in one pass over the stored file and one transaction: every line
 * is validated, and while no line was bad its job is inserted with the others of its chunk ({@link
 * #CHUNK} rows per multi-row statement, jobs and their outbox records). A bad line stops the
 * inserts; the rest of the file is still read for further errors, the transaction is rolled back,
 * and the batch is stored {@code failed} with the errors and no job. So either every line is a
 * committed job that the outbox relay will publish, or none is.
 */
final class BatchIntake {
  private static final Logger LOG = LoggerFactory.getLogger(BatchIntake.class);
  static final int CHUNK = 1000;
  static final int MAX_ERRORS = 100;

  private final Database database;
  private final BatchRepository batches;
  private final BulkFiles files;
  private final BatchJobs jobs;
  private final BatchLineParser lines;
  private final BulkIds ids;
  private final JobIds jobIds;
  private final int maxLineBytes;
  private final int maxLines;
  private final Runnable afterCommit;
  private final BatchEndedListener ended;
  private final Clock clock;
  private final JobEstimator estimator;
  private final JobBudget budget;

  BatchIntake(
      Database database,
      BatchRepository batches,
      BulkFiles files,
      BatchJobs jobs,
      BatchLineParser lines,
      BulkIds ids,
      JobIds jobIds,
      int maxLineBytes,
      int maxLines,
      Runnable afterCommit,
      BatchEndedListener ended,
      Clock clock,
      JobEstimator estimator,
      JobBudget budget) {
    this.estimator = estimator;
    this.budget = budget;
    this.ended = ended;
    this.database = database;
    this.batches = batches;
    this.files = files;
    this.jobs = jobs;
    this.lines = lines;
    this.ids = ids;
    this.jobIds = jobIds;
    this.maxLineBytes = maxLineBytes;
    this.maxLines = maxLines;
    this.afterCommit = afterCommit;
    this.clock = clock;
  }

  /** Lines that refuse the batch: the transaction is rolled back. */
  private static final class RefusedLines extends RuntimeException {
    private final transient List<LineError> errors;

    RefusedLines(List<LineError> errors) {
      super(errors.size() + " bad lines", null, false, false);
      this.errors = errors;
    }
  }

  Batch create(String tenantId, BatchRequest request) {
    BulkFile input =
        files
            .find(tenantId, request.inputFileId())
            .filter(f -> f.kind() == BulkFile.Kind.UPLOAD)
            .orElseThrow(
                () ->
                    InvalidJobRequestException.of(
                        List.of(
                            new FieldError(
                                "input_file_id",
                                "names no file of yours uploaded with purpose batch"))));
    Instant now = Clocks.now(clock);
    Batch batch =
        new Batch(
            ids.nextBatch(),
            tenantId,
            input.id(),
            request.endpoint(),
            request.window().text(),
            BatchStatus.IN_PROGRESS,
            request.metadata(),
            List.of(),
            0,
            null,
            null,
            false,
            now,
            now.plus(request.window().duration()),
            Map.of(BatchStatus.IN_PROGRESS, now));
    BatchTerms terms =
        new BatchTerms(
            "bulk", request.window().deferred() ? "deferred" : "realtime", batch.expiresAt());
    try {
      Batch created = database.inTransaction(c -> intake(new Transaction(c), batch, input, terms));
      LOG.info("batch {} of tenant {}: {} jobs committed", created.id(), tenantId, created.total());
      afterCommit.run();
      return created;
    } catch (RefusedLines refused) {
      Batch failed = failed(batch, refused.errors, now);
      database.inTransaction(
          c -> {
            batches.insert(c, failed);
            ended.ended(new Transaction(c), failed, RequestCounts.NONE);
            return null;
          });
      LOG.info(
          "batch {} of tenant {} failed validation: {} bad lines",
          failed.id(),
          tenantId,
          refused.errors.size());
      return failed;
    } catch (UncheckedIOException e) {
      throw new IllegalStateException("cannot read input file " + input.id(), e);
    }
  }

  private static Batch failed(Batch batch, List<LineError> errors, Instant now) {
    return new Batch(
        batch.id(),
        batch.tenantId(),
        batch.inputFileId(),
        batch.endpoint(),
        batch.completionWindow(),
        BatchStatus.FAILED,
        batch.metadata(),
        errors,
        0,
        null,
        null,
        false,
        batch.createdAt(),
        batch.expiresAt(),
        Map.of(BatchStatus.FAILED, now));
  }

  private Batch intake(Transaction tx, Batch batch, BulkFile input, BatchTerms terms)
      throws SQLException {
    Intake state = new Intake(tx, batch);
    try (InputStream in = files.open(input)) {
      LineReader reader = new LineReader(in, maxLineBytes);
      for (LineReader.Line line = reader.next(); line != null; line = reader.next()) {
        if (!line.blank() && !state.read(line, terms)) {
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return state.finish();
  }

  /** One intake's progress through the file. */
  private final class Intake {
    private final Transaction tx;
    private final Batch batch;
    private final Set<String> customIds = new HashSet<>();
    private final List<LineError> errors = new ArrayList<>();
    private final List<BatchJobs.Line> chunk = new ArrayList<>(CHUNK);
    private final boolean budgeted;
    private final List<JobBudget.Hold> holds = new ArrayList<>();
    private long total;

    Intake(Transaction tx, Batch batch) {
      this.tx = tx;
      this.batch = batch;
      this.budgeted = budget.appliesTo(batch.tenantId());
    }

    /** Reads one line; false when reading on is pointless. */
    boolean read(LineReader.Line line, BatchTerms terms) {
      if (line.tooLong()) {
        return error(
            new LineError(
                "line_too_large",
                "line " + line.number() + " is longer than " + maxLineBytes + " bytes",
                line.number()));
      }
      switch (lines.parse(line.bytes(), line.number(), terms)) {
        case BatchLineParser.Bad bad -> {
          return error(bad.error());
        }
        case BatchLineParser.Ok ok -> {
          if (!customIds.add(ok.customId())) {
            return error(
                new LineError(
                    "duplicate_custom_id",
                    "line " + line.number() + " repeats the custom_id of an earlier line",
                    line.number()));
          }
          Optional<MapReduceRefusal> overCap = estimator.costRefusal(ok.request());
          if (overCap.isPresent()) {
            return error(
                new LineError(
                    "limit_exceeded",
                    "line " + line.number() + ": " + overCap.get().getMessage(),
                    line.number()));
          }
          return accept(ok);
        }
      }
    }

    private boolean accept(BatchLineParser.Ok ok) {
      if (++total > maxLines) {
        errors.add(
            new LineError(
                "too_many_requests",
                "the file has more than " + maxLines + " requests (setting bulk.maxLines)",
                null));
        return false;
      }
      if (errors.isEmpty()) {
        Job job = Job.accepted(jobIds.next(), batch.tenantId(), ok.request(), batch.createdAt());
        chunk.add(new BatchJobs.Line(ok.customId(), job));
        if (budgeted) {
          holds.add(
              new JobBudget.Hold(job.id(), estimator.reservation(ok.request(), null).tokens()));
        }
        if (chunk.size() == CHUNK) {
          flush();
        }
      }
      return true;
    }

    private boolean error(LineError error) {
      if (errors.size() < MAX_ERRORS) {
        errors.add(error);
      }
      chunk.clear();
      return true;
    }

    private void flush() {
      if (!chunk.isEmpty()) {
        jobs.insertAll(tx, batch.id(), chunk);
        chunk.clear();
      }
    }

    Batch finish() throws SQLException {
      if (errors.isEmpty() && total == 0) {
        errors.add(new LineError("empty_file", "the input file has no requests", null));
      }
      if (!errors.isEmpty()) {
        throw new RefusedLines(List.copyOf(errors));
      }
      flush();
      // The whole batch's estimate, reserved at once with its jobs, or the batch refused (429).
      budget.reserve(tx, batch.tenantId(), holds, batch.createdAt());
      Batch created =
          new Batch(
              batch.id(),
              batch.tenantId(),
              batch.inputFileId(),
              batch.endpoint(),
              batch.completionWindow(),
              batch.status(),
              batch.metadata(),
              List.of(),
              total,
              null,
              null,
              false,
              batch.createdAt(),
              batch.expiresAt(),
              batch.times());
      batches.insert(tx.connection(), created);
      return created;
    }
  }
}
