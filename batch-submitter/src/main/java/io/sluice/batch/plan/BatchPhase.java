package io.sluice.batch.plan;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where one of Sluice's provider batches is. Every phase is recorded in PostgreSQL before the next
 * step starts, so a restart knows exactly what was done:
 *
 * <pre>
 * PLANNED ──▶ SUBMITTING ──▶ SUBMITTED ──▶ ENDED ──▶ COLLECTED ──▶ PUBLISHED
 *    ▲            │   │            │
 *    └────────────┘   └──▶ FAILED ◀┘
 * </pre>
 *
 * <ul>
 *   <li>{@code PLANNED}: its items and their {@code custom_id}s are recorded; nothing was sent.
 *   <li>{@code SUBMITTING}: the provider call is about to be made or under way; the provider may or
 *       may not have the batch. A restart reconciles: it looks for the provider batch tagged with
 *       Sluice's ID and adopts it ({@code SUBMITTED}), or, when there is provably none, goes back
 *       to {@code PLANNED}.
 *   <li>{@code SUBMITTED}: the provider's batch ID is recorded; it is polled.
 *   <li>{@code ENDED}: the provider says it ended; its results are to be read.
 *   <li>{@code COLLECTED}: every line's outcome is recorded on its item (result, or back to
 *       pending).
 *   <li>{@code PUBLISHED}: every result of the batch is on {@code sluice.task-results}.
 *   <li>{@code FAILED}: the provider refused or failed the whole batch; its items went back to
 *       pending (or failed when out of attempts) in the same transaction.
 * </ul>
 */
public enum BatchPhase {
  PLANNED,
  SUBMITTING,
  SUBMITTED,
  ENDED,
  COLLECTED,
  PUBLISHED,
  FAILED;

  private static final Map<BatchPhase, Set<BatchPhase>> NEXT =
      Map.of(
          PLANNED, EnumSet.of(SUBMITTING),
          SUBMITTING, EnumSet.of(SUBMITTED, PLANNED, FAILED),
          SUBMITTED, EnumSet.of(ENDED, FAILED),
          ENDED, EnumSet.of(COLLECTED),
          COLLECTED, EnumSet.of(PUBLISHED),
          PUBLISHED, EnumSet.noneOf(BatchPhase.class),
          FAILED, EnumSet.noneOf(BatchPhase.class));

  /** Whether a batch in this phase may move to {@code next}. */
  public boolean canMoveTo(BatchPhase next) {
    return NEXT.get(this).contains(next);
  }

  /** Whether nothing more happens to a batch in this phase. */
  public boolean isFinal() {
    return NEXT.get(this).isEmpty();
  }

  /**
   * Checks a move of one batch.
   *
   * @throws IllegalBatchTransitionException naming the batch when the move is not allowed
   */
  public BatchPhase moveTo(BatchPhase next, String batchId) {
    if (!canMoveTo(next)) {
      throw new IllegalBatchTransitionException(batchId, this, next);
    }
    return next;
  }
}
