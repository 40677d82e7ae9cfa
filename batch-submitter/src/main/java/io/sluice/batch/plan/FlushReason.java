package io.sluice.batch.plan;

/** Why a group of pending items became a provider batch now. */
public enum FlushReason {
  /** The batch reached the provider's line or byte limit, or the size its items allow. */
  FULL,
  /** The oldest item has waited the linger time. */
  LINGER,
  /** An item's deadline leaves no more time to wait. */
  DEADLINE
}
