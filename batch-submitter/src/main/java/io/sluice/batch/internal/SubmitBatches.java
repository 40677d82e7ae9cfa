package io.sluice.batch.internal;

import io.sluice.batch.plan.BatchIds;
import io.sluice.batch.plan.BatchPhase;
import io.sluice.batch.plan.Flush;
import io.sluice.batch.plan.FlushPolicy;
import io.sluice.batch.plan.GroupKey;
import io.sluice.batch.plan.GroupSummary;
import io.sluice.batch.plan.PendingItem;
import io.sluice.batch.store.BatchMember;
import io.sluice.batch.store.StoredBatch;
import io.sluice.lifecycle.BackgroundLoop;
import io.sluice.providers.BatchRequest;
import io.sluice.providers.BatchStatus;
import io.sluice.providers.ProviderException;
import io.sluice.schemas.job.ErrorInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The submitter loop's step: reconcile batches left in {@code SUBMITTING}, submit {@code PLANNED}
 * ones, then turn due groups of pending items into new batches and submit them. Every provider call
 * is preceded by a committed {@code SUBMITTING} and followed by a committed {@code SUBMITTED} with
 * the provider's ID.
 */
final class SubmitBatches implements BackgroundLoop.Step {
  private static final Logger LOG = LoggerFactory.getLogger(SubmitBatches.class);
  private static final int FLUSHES_PER_STEP = 20;

  private final Store store;
  private final Map<String, Account> accounts;
  private final FlushPolicy flushPolicy;
  private final FailedBatches failures;
  private final Clock clock;
  private final Duration pollInterval;
  private final Duration reconcileGrace;
  private final Runnable submitted;

  SubmitBatches(
      Store store,
      Map<String, Account> accounts,
      FlushPolicy flushPolicy,
      FailedBatches failures,
      Clock clock,
      Duration pollInterval,
      Duration reconcileGrace,
      Runnable submitted) {
    this.store = store;
    this.accounts = accounts;
    this.flushPolicy = flushPolicy;
    this.failures = failures;
    this.clock = clock;
    this.pollInterval = pollInterval;
    this.reconcileGrace = reconcileGrace;
    this.submitted = submitted;
  }

  @Override
  public BackgroundLoop.Next run() {
    reconcileSubmitting();
    for (StoredBatch planned :
        store
            .db()
            .inTransaction(
                "read planned batches", c -> store.batches().inPhase(c, BatchPhase.PLANNED))) {
      submit(planned);
    }
    return flushDueGroups() ? BackgroundLoop.Next.MORE : BackgroundLoop.Next.IDLE;
  }

  private void reconcileSubmitting() {
    Instant cutoff = clock.instant().minus(reconcileGrace);
    List<StoredBatch> submitting =
        store
            .db()
            .inTransaction(
                "read submitting batches", c -> store.batches().inPhase(c, BatchPhase.SUBMITTING));
    for (StoredBatch batch : submitting) {
      Account account = accounts.get(batch.group().provider());
      if (account != null && !batch.submittingAt().isAfter(cutoff)) {
        reconcile(batch, account);
      }
    }
  }

  private void reconcile(StoredBatch batch, Account account) {
    Set<String> adopted =
        store
            .db()
            .inTransaction(
                "read adopted batch ids", c -> store.batches().providerBatchIds(c, account.name()));
    switch (account.directory().find(batch, adopted)) {
      case BatchDirectory.Lookup.Found found -> {
        Instant now = clock.instant();
        store
            .db()
            .inTransaction(
                "adopt provider batch",
                c -> {
                  store
                      .batches()
                      .recordSubmitted(
                          c, batch.batchId(), found.providerBatchId(), "adopted", now, now);
                  return null;
                });
        LOG.info(
            "batch {} was created at {} as {} before the last stop; adopted it and polling it",
            batch.batchId(),
            account.name(),
            found.providerBatchId());
      }
      case BatchDirectory.Lookup.NotFound notFound -> {
        store
            .db()
            .inTransaction(
                "return batch to planned",
                c -> {
                  store
                      .batches()
                      .move(
                          c,
                          batch.batchId(),
                          BatchPhase.SUBMITTING,
                          BatchPhase.PLANNED,
                          clock.instant());
                  return null;
                });
        LOG.info(
            "batch {} was never created at {}; submitting it again",
            batch.batchId(),
            account.name());
      }
      case BatchDirectory.Lookup.Undecided undecided ->
          LOG.debug("batch {} not reconciled yet: {}", batch.batchId(), undecided.why());
    }
  }

  private boolean flushDueGroups() {
    Instant now = clock.instant();
    List<GroupKey> groups =
        store.db().inTransaction("read waiting groups", c -> store.items().waitingGroups(c, now));
    int flushed = 0;
    for (GroupKey group : groups) {
      Account account = accounts.get(group.provider());
      if (account == null) {
        continue;
      }
      Optional<StoredBatch> batch;
      while (flushed < FLUSHES_PER_STEP && (batch = plan(group, account)).isPresent()) {
        submit(batch.get());
        flushed++;
      }
    }
    return flushed >= FLUSHES_PER_STEP;
  }

  private Optional<StoredBatch> plan(GroupKey group, Account account) {
    int maxLines = account.batches().limits().maxRequests();
    return store
        .db()
        .inTransaction(
            "plan a batch",
            c -> {
              Instant now = clock.instant();
              GroupSummary summary = store.items().summary(c, group, now);
              if (!flushPolicy.mayBeDue(summary, account.batches().limits(), now)) {
                return Optional.<StoredBatch>empty();
              }
              List<PendingItem> waiting = store.items().waiting(c, group, now, maxLines);
              Optional<Flush> flush = flushPolicy.decide(waiting, account.batches().limits(), now);
              if (flush.isEmpty()) {
                return Optional.empty();
              }
              String batchId = BatchIds.newBatchId();
              List<PendingItem> items = flush.get().items();
              store.batches().insertPlanned(c, batchId, group, items.size(), now);
              store.members().insert(c, batchId, items);
              int moved = store.items().assign(c, flush.get().itemIds(), batchId, now);
              if (moved != items.size()) {
                throw new IllegalStateException(
                    "batch " + batchId + ": items of " + group + " changed while it was planned");
              }
              LOG.debug(
                  "planned batch {} of {} lines for {} ({})",
                  batchId,
                  items.size(),
                  group,
                  flush.get().reason());
              return store.batches().find(c, batchId);
            });
  }

  private void submit(StoredBatch batch) {
    Account account = accounts.get(batch.group().provider());
    if (account == null) {
      return;
    }
    List<BatchMember> members =
        store
            .db()
            .inTransaction("read batch lines", c -> store.members().members(c, batch.batchId()));
    List<BatchRequest> requests =
        members.stream().map(m -> new BatchRequest(m.customId(), m.task().request())).toList();
    store
        .db()
        .inTransaction(
            "record submit intent",
            c -> {
              store
                  .batches()
                  .move(
                      c,
                      batch.batchId(),
                      BatchPhase.PLANNED,
                      BatchPhase.SUBMITTING,
                      clock.instant());
              return null;
            });
    BatchStatus status;
    try {
      status = account.batches().submit(requests, Map.of(BatchIds.METADATA_KEY, batch.batchId()));
    } catch (ProviderException e) {
      if (e.isRetriable()) {
        LOG.warn(
            "submit of batch {} to {} failed ({}); it stays SUBMITTING and is reconciled with the"
                + " provider's list before any new attempt",
            batch.batchId(),
            account.name(),
            e.errorCode());
        throw e;
      }
      refused(batch, members, e);
      return;
    }
    Instant now = clock.instant();
    store
        .db()
        .inTransaction(
            "record submitted batch",
            c -> {
              store
                  .batches()
                  .recordSubmitted(
                      c,
                      batch.batchId(),
                      status.batchId(),
                      status.providerStatus(),
                      now,
                      now.plus(pollInterval));
              return null;
            });
    LOG.info(
        "batch {} submitted to {} as {} ({} lines)",
        batch.batchId(),
        account.name(),
        status.batchId(),
        requests.size());
    submitted.run();
  }

  private void refused(StoredBatch batch, List<BatchMember> members, ProviderException e) {
    ErrorInfo error =
        ErrorInfo.retriable(
            e.errorCode() == null ? "batch_refused" : e.errorCode(),
            "the provider refused the batch (HTTP " + e.httpStatus() + ")");
    LOG.warn(
        "{} refused batch {} of {} lines ({}); its items go back to pending in smaller batches",
        batch.group().provider(),
        batch.batchId(),
        members.size(),
        error.code());
    failures.fail(batch, BatchPhase.SUBMITTING, members, error);
  }
}
