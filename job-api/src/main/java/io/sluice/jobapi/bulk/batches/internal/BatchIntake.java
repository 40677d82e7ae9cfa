package io.sluice.jobapi.bulk.batches.internal;

import io.sluice.jobapi.budget.BudgetExceededException;
import io.sluice.jobapi.bulk.BulkIds;
import io.sluice.jobapi.bulk.batches.Batch;
import io.sluice.jobapi.bulk.batches.BatchEndedListener;
import io.sluice.jobapi.bulk.batches.BatchLineParser;
import io.sluice.jobapi.bulk.batches.BatchLineParser.BatchTerms;
import io.sluice.jobapi.bulk.batches.BatchRequest;
import io.sluice.jobapi.bulk.batches.BatchStatus;
import io.sluice.jobapi.bulk.batches.CompletionWindow;
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
import io.sluice.jobapi.store.DatabaseException;
import io.sluice.jobapi.store.Transaction;
import io.sluice.lifecycle.BackgroundLoop;
import io.sluice.mapreduce.MapReduceRefusal;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes in batches in two steps, as OpenAI does: {@link #create} stores the batch {@code
 * validating} and answers at once; then this loop step, on whichever job-api instance gets to it
 * first, reads the stored input file once in one transaction. Every line is validated, and while no
 * line was bad its job is inserted with the others of its chunk ({@link #CHUNK} rows per multi-row
 * statement, jobs and their outbox records). A bad line stops the inserts; the rest of the file is
 * still read for further errors, the transaction is rolled back, and the batch ends {@code failed}
 * with the errors and no job. So either every line is a committed job that the outbox relay will
 * publish and the batch is {@code in_progress}, or none is.
 *
 * <p>A crash, a shutdown or a lost database connection during the intake rolls it back whole: the
 * batch stays {@code validating} and the next run (here or on another instance) starts it again. A
 * batch cancelled while it is validated ends {@code cancelled} with no job: the intake sees the
 * cancel between chunks, or at the latest when it would move the batch on, and rolls back.
 */
final class BatchIntake {
  private static final Logger LOG = LoggerFactory.getLogger(BatchIntake.class);
  static final int CHUNK = 1000;
  static final int MAX_ERRORS = 100;
  // How often (in chunks) the intake looks whether its batch was cancelled meanwhile.
  private static final int CANCEL_CHECK_CHUNKS = 10;
  private static final int CANDIDATES = 10;
  static final int MAX_ATTEMPTS = 3;

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
  // Failed intakes per batch on this instance (the loop's thread only).
  private final Map<String, Integer> failures = new HashMap<>();

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

  /** The intake gave up on its batch (cancelled, or the instance stopping): rolled back. */
  private static final class Abandoned extends RuntimeException {
    Abandoned(String why) {
      super(why, null, false, false);
    }
  }

  /** Stores a new batch {@code validating}; its lines are taken in by {@link #step}. */
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
            BatchStatus.VALIDATING,
            request.metadata(),
            List.of(),
            0,
            null,
            null,
            false,
            now,
            now.plus(request.window().duration()),
            Map.of());
    database.inTransaction(
        c -> {
          batches.insert(c, batch);
          return null;
        });
    LOG.info("batch {} of tenant {}: validating input file {}", batch.id(), tenantId, input.id());
    return batch;
  }

  /**
   * The intake loop's step: takes in the oldest batch still {@code validating} that no other intake
   * holds, giving up (rolled back) when {@code stopping} says so.
   */
  BackgroundLoop.Step step(BooleanSupplier stopping) {
    return () -> next(stopping);
  }

  private BackgroundLoop.Next next(BooleanSupplier stopping) {
    List<String> waiting = database.inTransaction(c -> batches.validating(c, CANDIDATES));
    for (String batchId : waiting) {
      if (stopping.getAsBoolean()) {
        return BackgroundLoop.Next.IDLE;
      }
      if (takeIn(batchId, stopping)) {
        return BackgroundLoop.Next.MORE;
      }
    }
    return BackgroundLoop.Next.IDLE;
  }

  /** False when another instance holds the batch or it is no longer validating. */
  private boolean takeIn(String batchId, BooleanSupplier stopping) {
    Instant now = Clocks.now(clock);
    try {
      Optional<Batch> taken =
          database.inTransaction(
              c -> {
                if (!batches.tryHold(c, batchId)) {
                  return Optional.<Batch>empty();
                }
                Optional<Batch> batch =
                    batches.findAny(c, batchId).filter(b -> b.status() == BatchStatus.VALIDATING);
                if (batch.isEmpty()) {
                  return batch;
                }
                return Optional.of(intake(new Transaction(c), batch.get(), now, stopping));
              });
      failures.remove(batchId);
      taken.ifPresent(
          batch -> {
            LOG.info(
                "batch {} of tenant {}: {} jobs committed",
                batch.id(),
                batch.tenantId(),
                batch.total());
            afterCommit.run();
          });
      return taken.isPresent();
    } catch (RefusedLines refused) {
      fail(batchId, refused.errors, now);
      LOG.info("batch {} failed validation: {} bad lines", batchId, refused.errors.size());
    } catch (BudgetExceededException e) {
      // OpenAI's code for a batch over the organisation's enqueued token limit.
      fail(batchId, List.of(new LineError("token_limit_exceeded", e.getMessage(), null)), now);
      LOG.info("batch {} failed: over its tenant's token budget", batchId);
    } catch (Abandoned abandoned) {
      LOG.info("batch {}: intake rolled back ({})", batchId, abandoned.getMessage());
    } catch (RuntimeException e) {
      // Retried (the loop backs off); a batch that keeps failing must not hold up the ones behind
      // it.
      if (isTransient(e) || failures.merge(batchId, 1, Integer::sum) < MAX_ATTEMPTS) {
        throw e instanceof UncheckedIOException
            ? new IllegalStateException("cannot read the input file of batch " + batchId, e)
            : e;
      }
      failures.remove(batchId);
      fail(
          batchId,
          List.of(
              new LineError(
                  "internal_error",
                  "the input file could not be taken in ("
                      + e.getClass().getSimpleName()
                      + ", "
                      + MAX_ATTEMPTS
                      + " attempts); create the batch again or report it",
                  null)),
          now);
      LOG.warn(
          "batch {} failed: its intake failed {} times ({})",
          batchId,
          MAX_ATTEMPTS,
          e.getClass().getSimpleName());
    }
    failures.remove(batchId);
    return true;
  }

  // The database unreachable, overloaded or a transaction rolled back: nothing wrong with the
  // batch.
  private static boolean isTransient(RuntimeException e) {
    if (!(e instanceof DatabaseException db)) {
      return false;
    }
    String state = db.sqlState();
    return state == null || List.of("08", "40", "53", "57", "58").contains(state.substring(0, 2));
  }

  /** Ends a batch that is still validating {@code failed}, with one ended event. */
  private void fail(String batchId, List<LineError> errors, Instant now) {
    database.inTransaction(
        c -> {
          Optional<Batch> batch = batches.findAny(c, batchId);
          if (batch.isPresent() && batches.fail(c, batchId, errors, now)) {
            Batch failed = batch.get().failed(errors, now);
            ended.ended(new Transaction(c), failed, RequestCounts.NONE);
          }
          return null;
        });
  }

  private Batch intake(Transaction tx, Batch batch, Instant now, BooleanSupplier stopping)
      throws SQLException {
    Optional<BulkFile> input =
        files
            .find(batch.tenantId(), batch.inputFileId())
            .filter(f -> f.kind() == BulkFile.Kind.UPLOAD);
    if (input.isEmpty()) {
      throw new RefusedLines(
          List.of(
              new LineError(
                  "invalid_file", "the input file " + batch.inputFileId() + " was deleted", null)));
    }
    CompletionWindow window =
        CompletionWindow.parse(batch.completionWindow())
            .orElseThrow(() -> new IllegalStateException("stored window is not a window"));
    BatchTerms terms =
        new BatchTerms("bulk", window.deferred() ? "deferred" : "realtime", batch.expiresAt());
    Intake state = new Intake(tx, batch, stopping);
    try (InputStream in = files.open(input.get())) {
      LineReader reader = new LineReader(in, maxLineBytes);
      for (LineReader.Line line = reader.next(); line != null; line = reader.next()) {
        if (!line.blank() && !state.read(line, terms)) {
          break;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return state.finish(now);
  }

  /** One intake's progress through the file. */
  private final class Intake {
    private final Transaction tx;
    private final BooleanSupplier stopping;
    private final Batch batch;
    private final Set<String> customIds = new HashSet<>();
    private final List<LineError> errors = new ArrayList<>();
    private final List<BatchJobs.Line> chunk = new ArrayList<>(CHUNK);
    private final boolean budgeted;
    private final List<JobBudget.Hold> holds = new ArrayList<>();
    private long total;
    private long chunks;

    Intake(Transaction tx, Batch batch, BooleanSupplier stopping) {
      this.tx = tx;
      this.stopping = stopping;
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
        if (++chunks % CANCEL_CHECK_CHUNKS == 0) {
          stillWanted();
        }
      }
    }

    private void stillWanted() {
      if (stopping.getAsBoolean()) {
        throw new Abandoned("job-api is stopping; the batch is taken in again at the next start");
      }
      try {
        if (batches.statusOf(tx.connection(), batch.id()) != BatchStatus.VALIDATING) {
          throw new Abandoned("cancelled while it was validated");
        }
      } catch (SQLException e) {
        throw new DatabaseException(e);
      }
    }

    Batch finish(Instant now) throws SQLException {
      if (errors.isEmpty() && total == 0) {
        errors.add(new LineError("empty_file", "the input file has no requests", null));
      }
      if (!errors.isEmpty()) {
        throw new RefusedLines(List.copyOf(errors));
      }
      flush();
      // The whole batch's estimate, reserved at once with its jobs, or the batch refused.
      budget.reserve(tx, batch.tenantId(), holds, now);
      if (!batches.start(tx.connection(), batch.id(), total, now)) {
        throw new Abandoned("cancelled while it was validated");
      }
      return batch.started(total, now);
    }
  }
}
