package io.sluice.simulator;

import java.util.HashMap;
import java.util.Map;

/**
 * The providers' limits on batch work, part of a {@link Profile}. {@link #NONE} (every built-in
 * profile without a {@code batch_limits} section, and every profile built in code) limits nothing.
 *
 * <ul>
 *   <li>OpenAI's batch queue limit, per model: the prompt tokens of all lines in that model's
 *       batches that are {@code validating}, {@code in_progress} or {@code finalizing}. A batch
 *       that would take the model past it fails in validation with {@code token_limit_exceeded}.
 *   <li>OpenAI's batch creations per hour, per organization: past it, {@code POST /v1/batches} is a
 *       429 {@code rate_limit_exceeded} with {@code retry-after} / {@code retry-after-ms}.
 *   <li>Anthropic's requests in the processing queue, per organization: the requests not yet
 *       processed in batches still {@code in_progress}. A {@code POST /v1/messages/batches} that
 *       would take the queue past it is a 429 {@code rate_limit_error} with {@code retry-after}.
 * </ul>
 *
 * @param enqueuedTokens OpenAI's enqueued-token limit of each listed model
 * @param defaultEnqueuedTokens the limit of models not listed ({@link #UNLIMITED} for none)
 * @param batchCreationsPerHour OpenAI batches an organization may create in any hour
 * @param queuedRequests Anthropic requests an organization may have waiting in batches
 */
public record BatchQueueLimits(
    Map<String, Long> enqueuedTokens,
    long defaultEnqueuedTokens,
    long batchCreationsPerHour,
    long queuedRequests) {

  /** The value of a limit that is not enforced. */
  public static final long UNLIMITED = Long.MAX_VALUE;

  /** No batch limit at all (today's behaviour of every test that does not ask for limits). */
  public static final BatchQueueLimits NONE =
      new BatchQueueLimits(Map.of(), UNLIMITED, UNLIMITED, UNLIMITED);

  public BatchQueueLimits {
    enqueuedTokens = Map.copyOf(enqueuedTokens);
    enqueuedTokens.forEach((model, limit) -> requirePositive("enqueuedTokens of " + model, limit));
    requirePositive("defaultEnqueuedTokens", defaultEnqueuedTokens);
    requirePositive("batchCreationsPerHour", batchCreationsPerHour);
    requirePositive("queuedRequests", queuedRequests);
  }

  /** OpenAI's enqueued-token limit of a model. */
  public long enqueuedTokensFor(String model) {
    return enqueuedTokens.getOrDefault(model, defaultEnqueuedTokens);
  }

  /** A copy with one model's enqueued-token limit set. */
  public BatchQueueLimits withEnqueuedTokens(String model, long limit) {
    Map<String, Long> copy = new HashMap<>(enqueuedTokens);
    copy.put(model, limit);
    return new BatchQueueLimits(copy, defaultEnqueuedTokens, batchCreationsPerHour, queuedRequests);
  }

  /** A copy with the enqueued-token limit of models not listed set. */
  public BatchQueueLimits withDefaultEnqueuedTokens(long limit) {
    return new BatchQueueLimits(enqueuedTokens, limit, batchCreationsPerHour, queuedRequests);
  }

  /** A copy with OpenAI's batch creations per hour set. */
  public BatchQueueLimits withBatchCreationsPerHour(long limit) {
    return new BatchQueueLimits(enqueuedTokens, defaultEnqueuedTokens, limit, queuedRequests);
  }

  /** A copy with Anthropic's queued-request limit set. */
  public BatchQueueLimits withQueuedRequests(long limit) {
    return new BatchQueueLimits(
        enqueuedTokens, defaultEnqueuedTokens, batchCreationsPerHour, limit);
  }

  private static void requirePositive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException("batch limit " + name + " must be positive: " + value);
    }
  }
}
