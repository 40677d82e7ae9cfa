package io.sluice.jobapi.bulk.batches.internal;

import io.sluice.jobapi.bulk.BulkIds;
import io.sluice.jobapi.bulk.batches.Batch;
import io.sluice.jobapi.bulk.batches.BatchPage;
import io.sluice.jobapi.bulk.batches.BatchRequestParser;
import io.sluice.jobapi.bulk.batches.BatchStatus;
import io.sluice.jobapi.bulk.batches.BatchView;
import io.sluice.jobapi.bulk.batches.BulkBatches;
import io.sluice.jobapi.bulk.batches.RequestCounts;
import io.sluice.jobapi.job.BatchJobs;
import io.sluice.jobapi.store.Clocks;
import io.sluice.jobapi.store.Database;
import java.math.BigDecimal;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** {@link BulkBatches} on PostgreSQL: creation through {@link BatchIntake}, reads, cancel. */
public final class BatchStore implements BulkBatches {
  private final Database database;
  private final BatchRepository batches;
  private final BatchJobs jobs;
  private final BatchIntake intake;
  private final BatchRequestParser requests = new BatchRequestParser();
  private final Runnable wakeIntake;
  private final Runnable wakeProgress;
  private final Clock clock;

  BatchStore(
      Database database,
      BatchRepository batches,
      BatchJobs jobs,
      BatchIntake intake,
      Runnable wakeIntake,
      Runnable wakeProgress,
      Clock clock) {
    this.database = database;
    this.batches = batches;
    this.jobs = jobs;
    this.intake = intake;
    this.wakeIntake = wakeIntake;
    this.wakeProgress = wakeProgress;
    this.clock = clock;
  }

  @Override
  public BatchView create(String tenantId, byte[] body) {
    Batch batch = intake.create(tenantId, requests.parse(body));
    wakeIntake.run();
    return view(batch);
  }

  @Override
  public Optional<BatchView> find(String tenantId, String batchId) {
    if (!BulkIds.isBatchId(batchId)) {
      return Optional.empty();
    }
    return database.inTransaction(c -> batches.find(c, tenantId, batchId)).map(this::view);
  }

  @Override
  public BatchPage list(String tenantId, String after, int limit) {
    List<Batch> rows = database.inTransaction(c -> batches.list(c, tenantId, after, limit));
    boolean more = rows.size() > limit;
    return new BatchPage(
        (more ? rows.subList(0, limit) : rows).stream().map(this::view).toList(), more);
  }

  @Override
  public Optional<BatchView> cancel(String tenantId, String batchId) {
    // The move is conditional on the status read, and the batch may change status in between (its
    // intake ends, its last job finishes): read again and retry until the cancel lands or the new
    // status no longer allows it. Statuses only move forward, so this ends.
    for (int tries = 0; tries < BatchStatus.values().length; tries++) {
      Optional<BatchView> found = find(tenantId, batchId);
      if (found.isEmpty() || !found.get().batch().status().canMoveTo(BatchStatus.CANCELLING)) {
        return found;
      }
      Batch batch = found.get().batch();
      boolean moved =
          database.inTransaction(
              c ->
                  batches.move(
                      c, batch.id(), batch.status(), BatchStatus.CANCELLING, Clocks.now(clock)));
      if (moved) {
        wakeProgress.run();
        return find(tenantId, batchId);
      }
    }
    return find(tenantId, batchId);
  }

  private BatchView view(Batch batch) {
    // A failed batch has no job; a validating one none yet that anyone else can see, and counting
    // would make PostgreSQL walk the intake's uncommitted rows on every poll.
    if (batch.status() == BatchStatus.FAILED || batch.status() == BatchStatus.VALIDATING) {
      return new BatchView(batch, RequestCounts.NONE, BigDecimal.ZERO, 0);
    }
    BatchJobs.Totals totals = jobs.totals(batch.id());
    boolean deferred =
        io.sluice.jobapi.bulk.batches.CompletionWindow.parse(batch.completionWindow())
            .map(w -> w.deferred())
            .orElse(false);
    return new BatchView(
        batch,
        RequestCounts.of(batch.total(), totals.byStatus()),
        totals.costUsd(),
        deferred ? batch.total() : 0);
  }
}
