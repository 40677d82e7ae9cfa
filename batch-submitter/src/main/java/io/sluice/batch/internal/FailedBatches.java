package io.sluice.batch.internal;

import io.sluice.batch.plan.BatchPhase;
import io.sluice.batch.plan.OutcomePolicy;
import io.sluice.batch.store.BatchMember;
import io.sluice.batch.store.StoredBatch;
import io.sluice.schemas.job.ErrorInfo;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Records a batch that failed as a whole and, in the same transaction, sends each of its items back
 * to pending (in smaller batches) or, out of attempts, to a failed result. No item is lost.
 */
final class FailedBatches {
  private final Store store;
  private final OutcomePolicy outcomes;
  private final DecisionWriter decisions;
  private final Clock clock;

  FailedBatches(Store store, OutcomePolicy outcomes, DecisionWriter decisions, Clock clock) {
    this.store = store;
    this.outcomes = outcomes;
    this.decisions = decisions;
    this.clock = clock;
  }

  /**
   * Records a batch the provider refused for room in its queue (counted for the group's back-off)
   * and sends its items back to pending as they were, their attempts given back.
   *
   * @param created whether the provider had created it (failed in validation) or refused the create
   *     call
   */
  void refuse(
      StoredBatch batch,
      BatchPhase from,
      List<BatchMember> members,
      ErrorInfo error,
      boolean created) {
    store
        .db()
        .inTransaction(
            "record batch refused for room",
            c -> {
              Instant now = clock.instant();
              store.batches().recordRefusedForRoom(c, batch.batchId(), from, error.code(), now);
              for (BatchMember member : members) {
                if (member.current()) {
                  decisions.write(
                      c,
                      batch.batchId(),
                      member,
                      outcomes.decideRefusedBatch(DecisionWriter.attempt(member), error, created),
                      now);
                }
              }
              return null;
            });
  }

  void fail(StoredBatch batch, BatchPhase from, List<BatchMember> members, ErrorInfo error) {
    store
        .db()
        .inTransaction(
            "record failed batch",
            c -> {
              Instant now = clock.instant();
              store.batches().recordFailed(c, batch.batchId(), from, error.code(), now);
              for (BatchMember member : members) {
                if (member.current()) {
                  decisions.write(
                      c,
                      batch.batchId(),
                      member,
                      outcomes.decideFailedBatch(
                          DecisionWriter.attempt(member), members.size(), error, now),
                      now);
                }
              }
              return null;
            });
  }
}
