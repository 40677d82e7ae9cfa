package io.sluice.batch.internal;

import io.sluice.batch.plan.BatchIds;
import io.sluice.batch.plan.BatchPhase;
import io.sluice.batch.plan.Flush;
import io.sluice.batch.plan.FlushPolicy;
import io.sluice.batch.plan.GroupKey;
import io.sluice.batch.plan.GroupSummary;
import io.sluice.batch.plan.ItemState;
import io.sluice.batch.plan.PendingItem;
import io.sluice.batch.plan.QueueLimitPolicy;
import io.sluice.batch.plan.QueueRoom;
import io.sluice.batch.plan.QueueUsage;
import io.sluice.batch.store.BatchMember;
import io.sluice.batch.store.PendingItemRepository.StoredItem;
import io.sluice.batch.store.StoredBatch;
import io.sluice.lifecycle.BackgroundLoop;
import io.sluice.providers.BatchRequest;
import io.sluice.providers.BatchStatus;
import io.sluice.providers.ProviderException;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.task.TaskResult;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The submitter loop's step: act on deadlines ({@link DeadlineSweep}), reconcile batches left in
 * {@code SUBMITTING}, submit {@code PLANNED} ones, then turn due groups of pending items into new
 * batches within the room of the provider's batch queue ({@link QueueLimitPolicy}) and submit them.
 * Every provider call is preceded by a committed {@code SUBMITTING} and followed by a committed
 * {@code SUBMITTED} with the provider's ID and, in the same transaction, an {@code
 * in_provider_batch} placement for each of its tasks.
 */
final class SubmitBatches implements BackgroundLoop.Step {
  private static final Logger LOG = LoggerFactory.getLogger(SubmitBatches.class);
  private static final int FLUSHES_PER_STEP = 20;

  private final Store store;
  private final Map<String, Account> accounts;
  private final FlushPolicy flushPolicy;
  private final QueueLimitPolicy queuePolicy;
  private final DeadlineSweep deadlines;
  private final FailedBatches failures;
  private final Clock clock;
  private final Duration pollInterval;
  private final Duration reconcileGrace;
  private final Runnable submitted;

  SubmitBatches(
      Store store,
      Map<String, Account> accounts,
      FlushPolicy flushPolicy,
      QueueLimitPolicy queuePolicy,
      DeadlineSweep deadlines,
      FailedBatches failures,
      Clock clock,
      Duration pollInterval,
      Duration reconcileGrace,
      Runnable submitted) {
    this.store = store;
    this.accounts = accounts;
    this.flushPolicy = flushPolicy;
    this.queuePolicy = queuePolicy;
    this.deadlines = deadlines;
    this.failures = failures;
    this.clock = clock;
    this.pollInterval = pollInterval;
    this.reconcileGrace = reconcileGrace;
    this.submitted = submitted;
  }

  @Override
  public BackgroundLoop.Next run() {
    deadlines.sweep();
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
                  placeInBatch(c, batch.batchId(), found.providerBatchId(), now);
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
              // an item the deadline sweep must act on (it came in after this step's sweep) is
              // left to the next sweep: a batch never takes it
              Instant deadlinesAfter = deadlines.actionableBefore(now);
              GroupSummary summary = store.items().summary(c, group, now, deadlinesAfter);
              if (!flushPolicy.mayBeDue(summary, account.batches().limits(), now)) {
                return Optional.<StoredBatch>empty();
              }
              QueueUsage usage = store.batches().queueUsage(c, group, now);
              QueueRoom room = queuePolicy.room(account.queueLimits(), group.model(), usage, now);
              if (room.isNone()) {
                LOG.debug("{} waits for room in the provider's batch queue ({})", group, usage);
                return Optional.<StoredBatch>empty();
              }
              List<PendingItem> waiting =
                  failTooLarge(
                      c,
                      account,
                      store.items().waiting(c, group, now, deadlinesAfter, maxLines),
                      now);
              Optional<Flush> flush =
                  flushPolicy.decide(waiting, account.batches().limits(), room, now);
              if (flush.isEmpty()) {
                return Optional.empty();
              }
              String batchId = BatchIds.newBatchId();
              List<PendingItem> items = flush.get().items();
              long tokens = items.stream().mapToLong(PendingItem::inputTokens).sum();
              store.batches().insertPlanned(c, batchId, group, items.size(), tokens, now);
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
      if (e.isRateLimited()) {
        refusedForRoom(batch, members, e);
        return;
      }
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
              placeInBatch(c, batch.batchId(), status.batchId(), now);
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

  /** An {@code in_provider_batch} placement for each task still waiting in the batch. */
  private void placeInBatch(Connection c, String batchId, String providerBatchId, Instant now)
      throws SQLException {
    List<Store.Move> moves = new ArrayList<>();
    for (BatchMember member : store.members().members(c, batchId)) {
      if (member.current() && member.state() == ItemState.IN_BATCH) {
        moves.add(
            new Store.Move(
                member.itemId(),
                member.task(),
                new Placement(
                    Placement.Stage.IN_PROVIDER_BATCH, providerBatchId, member.attempt(), now)));
      }
    }
    store.placeAll(c, moves);
  }

  /**
   * Fails the items whose prompt alone is over the model's queue limit (they could never be
   * submitted) and returns the others.
   */
  private List<PendingItem> failTooLarge(
      Connection c, Account account, List<PendingItem> waiting, Instant now) throws SQLException {
    List<PendingItem> fitting = new ArrayList<>();
    for (PendingItem item : waiting) {
      String model = item.group().model();
      if (queuePolicy.fitsAlone(account.queueLimits(), model, item.inputTokens())) {
        fitting.add(item);
        continue;
      }
      StoredItem stored = store.items().stored(c, item.itemId()).orElseThrow();
      ErrorInfo error =
          ErrorInfo.permanent(
              QueueLimitPolicy.TOO_LARGE_FOR_QUEUE,
              "the prompt's estimated "
                  + item.inputTokens()
                  + " tokens are over the provider's batch queue limit of "
                  + account.queueLimits().tokensFor(model)
                  + " tokens for "
                  + model);
      TaskResult failed =
          TaskResult.failed(stored.task(), error, stored.attempts(), stored.receivedAt(), now)
              .withPlacement(stored.placement());
      store.items().finishPending(c, item.itemId(), DecisionWriter.json(failed), error.code(), now);
      LOG.warn(
          "task {} is over the batch queue limit of {} on its own; it fails",
          stored.task().taskId(),
          item.group());
    }
    return fitting;
  }

  private void refusedForRoom(StoredBatch batch, List<BatchMember> members, ProviderException e) {
    ErrorInfo error =
        ErrorInfo.retriable(
            e.errorCode() == null ? "rate_limit_exceeded" : e.errorCode(),
            "the provider refused to create the batch (HTTP " + e.httpStatus() + ")");
    LOG.warn(
        "{} refused to create batch {} of {} lines ({}); its items go back to pending with their"
            + " attempts and the group backs off",
        batch.group().provider(),
        batch.batchId(),
        members.size(),
        error.code());
    failures.refuse(batch, BatchPhase.SUBMITTING, members, error, false);
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
