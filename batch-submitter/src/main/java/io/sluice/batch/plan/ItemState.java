package io.sluice.batch.plan;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Where one deferred task is: {@code PENDING} (waiting for a batch) → {@code IN_BATCH} → back to
 * {@code PENDING} (its line failed retriably, or the whole batch failed) or {@code DONE} (its
 * result is decided and stored) → {@code PUBLISHED} (the result is on {@code sluice.task-results}).
 */
public enum ItemState {
  PENDING,
  IN_BATCH,
  DONE,
  PUBLISHED;

  private static final Map<ItemState, Set<ItemState>> NEXT =
      Map.of(
          PENDING, EnumSet.of(IN_BATCH),
          IN_BATCH, EnumSet.of(PENDING, DONE),
          DONE, EnumSet.of(PUBLISHED),
          PUBLISHED, EnumSet.noneOf(ItemState.class));

  /** Whether an item in this state may move to {@code next}. */
  public boolean canMoveTo(ItemState next) {
    return NEXT.get(this).contains(next);
  }
}
