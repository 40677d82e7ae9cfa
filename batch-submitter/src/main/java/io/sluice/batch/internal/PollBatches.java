package io.sluice.batch.internal;

import io.sluice.batch.plan.BatchPhase;
import io.sluice.batch.plan.OutcomePolicy;
import io.sluice.batch.plan.QueueLimitPolicy;
import io.sluice.batch.store.BatchMember;
import io.sluice.batch.store.StoredBatch;
import io.sluice.lifecycle.BackgroundLoop;
import io.sluice.providers.BatchItemResult;
import io.sluice.providers.BatchItemStatus;
import io.sluice.providers.BatchState;
import io.sluice.providers.BatchStatus;
import io.sluice.providers.ProviderException;
import io.sluice.schemas.job.ErrorInfo;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poller loop's step: asks the provider about each submitted batch whose poll is due; records
 * an ended batch ({@code ENDED}), reads every line's outcome and records the decision of each
 * ({@code COLLECTED}) in one transaction. A batch left {@code ENDED} by a crash is collected first.
 */
final class PollBatches implements BackgroundLoop.Step {
  private static final Logger LOG = LoggerFactory.getLogger(PollBatches.class);

  private final Store store;
  private final Map<String, Account> accounts;
  private final OutcomePolicy outcomes;
  private final DecisionWriter decisions;
  private final FailedBatches failures;
  private final Clock clock;
  private final Duration pollInterval;
  private final Runnable collected;

  PollBatches(
      Store store,
      Map<String, Account> accounts,
      OutcomePolicy outcomes,
      DecisionWriter decisions,
      FailedBatches failures,
      Clock clock,
      Duration pollInterval,
      Runnable collected) {
    this.store = store;
    this.accounts = accounts;
    this.outcomes = outcomes;
    this.decisions = decisions;
    this.failures = failures;
    this.clock = clock;
    this.pollInterval = pollInterval;
    this.collected = collected;
  }

  @Override
  public BackgroundLoop.Next run() {
    for (StoredBatch ended :
        store
            .db()
            .inTransaction(
                "read ended batches", c -> store.batches().inPhase(c, BatchPhase.ENDED))) {
      collect(ended);
    }
    Instant now = clock.instant();
    for (StoredBatch batch :
        store.db().inTransaction("read batches to poll", c -> store.batches().dueForPoll(c, now))) {
      poll(batch);
    }
    return BackgroundLoop.Next.IDLE;
  }

  private void poll(StoredBatch batch) {
    Account account = accounts.get(batch.group().provider());
    if (account == null) {
      return;
    }
    BatchStatus status;
    try {
      status = account.batches().status(batch.providerBatchId());
    } catch (ProviderException e) {
      if (e.isRetriable() || e.httpStatus() != 404) {
        throw e;
      }
      vanished(batch);
      return;
    }
    if (!status.isTerminal()) {
      Instant next = clock.instant().plus(pollInterval);
      store
          .db()
          .inTransaction(
              "schedule next poll",
              c -> {
                store.batches().schedulePoll(c, batch.batchId(), status.providerStatus(), next);
                return null;
              });
      return;
    }
    if (status.state() == BatchState.FAILED) {
      failed(batch, status);
      return;
    }
    store
        .db()
        .inTransaction(
            "record ended batch",
            c -> {
              store
                  .batches()
                  .recordEnded(c, batch.batchId(), status.providerStatus(), clock.instant());
              return null;
            });
    collect(batch);
  }

  private void collect(StoredBatch batch) {
    Account account = accounts.get(batch.group().provider());
    if (account == null) {
      return;
    }
    List<BatchMember> members =
        store
            .db()
            .inTransaction("read batch lines", c -> store.members().members(c, batch.batchId()));
    List<String> customIds = members.stream().map(BatchMember::customId).toList();
    Map<String, BatchItemResult> lines =
        account.batches().results(batch.providerBatchId(), customIds).stream()
            .collect(Collectors.toMap(BatchItemResult::customId, Function.identity(), (a, b) -> a));
    int[] counts = new int[2];
    store
        .db()
        .inTransaction(
            "record line outcomes",
            c -> {
              Instant now = clock.instant();
              for (BatchMember member : members) {
                if (!member.current()) {
                  continue;
                }
                BatchItemResult line = lines.getOrDefault(member.customId(), missing(member));
                counts[line.isSucceeded() ? 0 : 1]++;
                decisions.write(
                    c,
                    batch.batchId(),
                    member,
                    outcomes.decideLine(DecisionWriter.attempt(member), line, now),
                    now);
              }
              store.batches().move(c, batch.batchId(), BatchPhase.ENDED, BatchPhase.COLLECTED, now);
              return null;
            });
    LOG.info(
        "batch {} ({}) collected: {} lines succeeded, {} did not",
        batch.batchId(),
        batch.providerBatchId(),
        counts[0],
        counts[1]);
    collected.run();
  }

  private void failed(StoredBatch batch, BatchStatus status) {
    ErrorInfo error =
        ErrorInfo.retriable(
            status.failureCode() == null ? "batch_failed" : status.failureCode(),
            status.failureMessage() == null
                ? "the provider failed the whole batch"
                : status.failureMessage());
    if (QueueLimitPolicy.TOKEN_LIMIT_EXCEEDED.equals(error.code())) {
      LOG.warn(
          "{} refused batch {} ({}) for room in its queue ({}); its items go back to pending with"
              + " their attempts and the group backs off",
          batch.group().provider(),
          batch.batchId(),
          batch.providerBatchId(),
          error.code());
      failures.refuse(batch, BatchPhase.SUBMITTED, members(batch), error, true);
      return;
    }
    LOG.warn(
        "{} failed batch {} ({}) as a whole ({}); its items go back to pending in smaller batches",
        batch.group().provider(),
        batch.batchId(),
        batch.providerBatchId(),
        error.code());
    failures.fail(batch, BatchPhase.SUBMITTED, members(batch), error);
  }

  private void vanished(StoredBatch batch) {
    LOG.warn(
        "{} no longer knows batch {} ({}); its items go back to pending",
        batch.group().provider(),
        batch.batchId(),
        batch.providerBatchId());
    failures.fail(
        batch,
        BatchPhase.SUBMITTED,
        members(batch),
        ErrorInfo.retriable("batch_not_found", "the provider no longer knows the batch"));
  }

  private List<BatchMember> members(StoredBatch batch) {
    return store
        .db()
        .inTransaction("read batch lines", c -> store.members().members(c, batch.batchId()));
  }

  private static BatchItemResult missing(BatchMember member) {
    return BatchItemResult.failed(
        member.customId(),
        BatchItemStatus.ERRORED,
        ErrorInfo.retriable(OutcomePolicy.MISSING_RESULT, "the provider reported no result"),
        null);
  }
}
