package io.sluice.batch.plan;

import java.time.Instant;
import java.util.Objects;

/**
 * A deferred task waiting for a provider batch, as the flush decision sees it.
 *
 * @param itemId the store's ID of the item
 * @param group the batch it may join
 * @param lineBytes the estimated size of its batch line
 * @param eligibleAt since when it waits (arrival, or the end of its retry delay)
 * @param deadline when its job must be done, or {@code null}
 * @param attempts provider batches it has already been in
 * @param maxBatchLines the largest batch it may go in: 1 after a failed line (it goes alone), half
 *     the failed batch after a whole batch failed, otherwise unbounded ({@link Integer#MAX_VALUE})
 * @param inputTokens the estimated prompt tokens it adds to the provider's batch queue
 */
public record PendingItem(
    long itemId,
    GroupKey group,
    long lineBytes,
    Instant eligibleAt,
    Instant deadline,
    int attempts,
    int maxBatchLines,
    long inputTokens) {

  /** No bound of its own on the size of its batch. */
  public static final int ANY_SIZE = Integer.MAX_VALUE;

  public PendingItem {
    Objects.requireNonNull(group, "group");
    Objects.requireNonNull(eligibleAt, "eligibleAt");
    if (lineBytes < 0) {
      throw new IllegalArgumentException("lineBytes must not be negative, was " + lineBytes);
    }
    if (inputTokens < 0) {
      throw new IllegalArgumentException("inputTokens must not be negative, was " + inputTokens);
    }
    if (maxBatchLines < 1) {
      throw new IllegalArgumentException("maxBatchLines must be at least 1, was " + maxBatchLines);
    }
  }

  /** Whether it must go in a smaller batch than the provider allows (a resubmission). */
  public boolean isRestricted() {
    return maxBatchLines != ANY_SIZE;
  }
}
