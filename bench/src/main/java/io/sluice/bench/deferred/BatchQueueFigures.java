package io.sluice.bench.deferred;

import io.sluice.simulator.BatchQueueLimits;
import io.sluice.simulator.BatchQueueRow;
import io.sluice.simulator.MeterSnapshot;

/**
 * One provider API's batch queue over the run, from the simulator's meter, beside its limits.
 *
 * @param api {@code openai} or {@code anthropic}
 * @param batchesCreated provider batches accepted (OpenAI: also those that then failed validation
 *     for the queue limit)
 * @param linesCreated lines in those batches
 * @param queueRefusals batches refused because the queue was full
 * @param creationRefusals OpenAI batch creations refused over the creations per hour
 * @param peakEnqueuedTokens OpenAI: the most prompt tokens enqueued at once for {@code model}
 * @param enqueuedTokensLimit OpenAI: the simulator's enqueued-token limit of {@code model}
 * @param peakQueuedRequests Anthropic: the most requests waiting at once in the account's batches
 * @param queuedRequestsLimit Anthropic: the simulator's queued-request limit
 * @param model the model the token figures are for
 */
public record BatchQueueFigures(
    String api,
    long batchesCreated,
    long linesCreated,
    long queueRefusals,
    long creationRefusals,
    long peakEnqueuedTokens,
    long enqueuedTokensLimit,
    long peakQueuedRequests,
    long queuedRequestsLimit,
    String model) {

  /**
   * One API's figures from the meter: the account row for batches, lines, refusals and queued
   * requests, the model's row for enqueued tokens.
   */
  public static BatchQueueFigures of(
      MeterSnapshot meter, BatchQueueLimits limits, String api, String model) {
    BatchQueueRow account = meter.batchQueue(api, BatchQueueRow.ACCOUNT);
    BatchQueueRow perModel = meter.batchQueue(api, model);
    return new BatchQueueFigures(
        api,
        account.batchesCreated(),
        account.linesCreated(),
        account.queueRefusals(),
        account.creationRefusals(),
        perModel.peakEnqueuedTokens(),
        limits.enqueuedTokensFor(model),
        account.peakQueuedRequests(),
        limits.queuedRequests(),
        model);
  }
}
