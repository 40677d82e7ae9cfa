package io.sluice.simulator;

/**
 * What one API's batch queue saw over the simulator's life (since the last {@link Meter#reset()}),
 * for one model or, with model {@code *}, for the whole account (the scope of Anthropic's queue
 * limit and of OpenAI's creations per hour). Peaks are taken at every accepted creation, the only
 * moments a queue grows, so they are exact.
 *
 * @param api {@code openai} or {@code anthropic}
 * @param model the model of the lines, or {@code *} for all of them
 * @param batchesCreated batches accepted (for OpenAI also those that then fail validation)
 * @param linesCreated lines in the accepted batches
 * @param queueRefusals batches refused because the queue was full: OpenAI batches failed with
 *     {@code token_limit_exceeded}, Anthropic creations answered 429
 * @param creationRefusals OpenAI creations answered 429 over the batch creations per hour
 * @param peakEnqueuedTokens the most prompt tokens held at once by batches still validating, in
 *     progress or finalizing (what OpenAI's batch queue limit counts)
 * @param peakQueuedRequests the most requests not yet finished at once in those batches (what
 *     Anthropic's queue limit counts)
 */
public record BatchQueueRow(
    String api,
    String model,
    long batchesCreated,
    long linesCreated,
    long queueRefusals,
    long creationRefusals,
    long peakEnqueuedTokens,
    long peakQueuedRequests) {

  /** The model label of account-wide rows. */
  public static final String ACCOUNT = "*";

  /** A row with nothing counted. */
  public static BatchQueueRow empty(String api, String model) {
    return new BatchQueueRow(api, model, 0, 0, 0, 0, 0, 0);
  }
}
