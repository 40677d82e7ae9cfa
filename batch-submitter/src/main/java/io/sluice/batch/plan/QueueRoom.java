package io.sluice.batch.plan;

/**
 * How much a new batch of one group may add to the provider's queue now.
 *
 * @param tokens estimated prompt tokens
 * @param requests lines
 */
public record QueueRoom(long tokens, long requests) {
  /** No queue limit in the way. */
  public static final QueueRoom UNLIMITED =
      new QueueRoom(QueueLimits.UNLIMITED, QueueLimits.UNLIMITED);

  /** No new batch now (queue full, creations used up, or backing off after a refusal). */
  public static final QueueRoom NONE = new QueueRoom(0, 0);

  public QueueRoom {
    tokens = Math.max(0, tokens);
    requests = Math.max(0, requests);
  }

  /** Whether a batch of {@code lines} lines and {@code batchTokens} tokens fits. */
  public boolean admits(long batchTokens, long lines) {
    return batchTokens <= tokens && lines <= requests;
  }

  public boolean isNone() {
    return requests == 0;
  }
}
