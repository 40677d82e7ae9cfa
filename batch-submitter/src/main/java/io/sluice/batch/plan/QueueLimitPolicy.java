package io.sluice.batch.plan;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * Keeps Sluice's own traffic within a provider's batch queue limits ({@link QueueLimits}): how much
 * room a new batch of a group has, given what is already enqueued ({@link QueueUsage}). {@link
 * FlushPolicy} then takes only the oldest items that fit; the rest wait for room. After the
 * provider refused a batch for room anyway (its queue is shared with other clients, and Sluice's
 * token estimate is not the provider's count), the group waits {@code refusalBackoff}, doubling
 * with each refusal in the last hour up to 32 times.
 *
 * @param refusalBackoff the wait after a first refusal
 */
public record QueueLimitPolicy(Duration refusalBackoff) {
  /** OpenAI's code of a batch failed in validation because the model's queue is full. */
  public static final String TOKEN_LIMIT_EXCEEDED = "token_limit_exceeded";

  /** Sluice's code of an item whose prompt alone is over the model's queue limit. */
  public static final String TOO_LARGE_FOR_QUEUE = "batch_queue_limit_exceeded";

  private static final int MAX_DOUBLINGS = 5;

  public QueueLimitPolicy {
    Objects.requireNonNull(refusalBackoff, "refusalBackoff");
    if (!refusalBackoff.isPositive()) {
      throw new IllegalArgumentException(
          "batch-submitter.refusal-backoff must be positive, was " + refusalBackoff);
    }
  }

  /** The room a new batch of {@code model} has in an account with these limits and this usage. */
  public QueueRoom room(QueueLimits limits, String model, QueueUsage usage, Instant now) {
    if (backingOff(usage, now) || usage.creationsLastHour() >= limits.creationsPerHour()) {
      return QueueRoom.NONE;
    }
    return new QueueRoom(
        remaining(limits.tokensFor(model), usage.enqueuedTokens()),
        remaining(limits.requests(), usage.enqueuedRequests()));
  }

  /** Whether an item of this many tokens could ever fit, even into an empty queue. */
  public boolean fitsAlone(QueueLimits limits, String model, long tokens) {
    return tokens <= limits.tokensFor(model);
  }

  /** How long a group waits after its {@code refusals}-th refusal in the last hour. */
  public Duration backoff(int refusals) {
    int doublings = Math.min(Math.max(refusals, 1) - 1, MAX_DOUBLINGS);
    return refusalBackoff.multipliedBy(1L << doublings);
  }

  private boolean backingOff(QueueUsage usage, Instant now) {
    return usage.lastRefusal() != null
        && now.isBefore(usage.lastRefusal().plus(backoff(usage.recentRefusals())));
  }

  private static long remaining(long limit, long used) {
    return limit == QueueLimits.UNLIMITED ? QueueLimits.UNLIMITED : Math.max(0, limit - used);
  }
}
