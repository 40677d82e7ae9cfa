package io.sluice.batch.plan;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where one deferred task is:
 *
 * <pre>
 * PENDING ──▶ IN_BATCH ──▶ DONE ──▶ PUBLISHED
 *    ▲  │        │ │         ▲
 *    │  │        │ └─────────┼──── (line failed retriably, batch failed, refused: back to PENDING)
 *    │  │        ▼           │
 *    │  └──▶ FALLING_BACK ──▶ FALLEN_BACK     (deadline near: produced to a realtime lane)
 *    │                          (a batch line that still succeeds after that: DONE, for its cost)
 *  PENDING ──▶ DONE: expired before it was ever submitted
 *  PENDING, IN_BATCH, FALLING_BACK, FALLEN_BACK ──▶ CANCELLED (the job was cancelled)
 * </pre>
 *
 * {@code PENDING} waits for a batch; {@code IN_BATCH} is a line of a provider batch; {@code DONE}
 * has its result stored; {@code PUBLISHED} has it on {@code sluice.task-results}; {@code
 * FALLING_BACK} must be produced to a realtime lane (recorded before it is), {@code FALLEN_BACK}
 * was; {@code CANCELLED} is dropped: never submitted again, its line ignored when it returns.
 */
public enum ItemState {
  PENDING,
  IN_BATCH,
  FALLING_BACK,
  FALLEN_BACK,
  DONE,
  PUBLISHED,
  CANCELLED;

  private static final Map<ItemState, Set<ItemState>> NEXT =
      Map.of(
          PENDING, EnumSet.of(IN_BATCH, FALLING_BACK, DONE, CANCELLED),
          IN_BATCH, EnumSet.of(PENDING, DONE, FALLING_BACK, CANCELLED),
          FALLING_BACK, EnumSet.of(FALLEN_BACK, DONE, CANCELLED),
          FALLEN_BACK, EnumSet.of(DONE, CANCELLED),
          DONE, EnumSet.of(PUBLISHED),
          PUBLISHED, EnumSet.noneOf(ItemState.class),
          CANCELLED, EnumSet.noneOf(ItemState.class));

  /** Whether an item in this state may move to {@code next}. */
  public boolean canMoveTo(ItemState next) {
    return NEXT.get(this).contains(next);
  }

  /** Whether the task left the deferred lane for a realtime lane (a batch may still return it). */
  public boolean hasFallenBack() {
    return this == FALLING_BACK || this == FALLEN_BACK;
  }
}
