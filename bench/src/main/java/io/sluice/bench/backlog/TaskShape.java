package io.sluice.bench.backlog;

/**
 * The size of one benchmark task.
 *
 * @param index its position in the backlog (also the text's seed)
 * @param promptTokens the prompt's exact token count as the provider counts it
 * @param maxTokens the call's {@code max_tokens}
 * @param estimateFactor how far the estimate given to the limiter is off (1.0 = exact)
 */
public record TaskShape(long index, long promptTokens, int maxTokens, double estimateFactor) {

  /** The input-token estimate handed to Sluice: the exact count scaled by the factor. */
  public long estimatedInputTokens() {
    return Math.max(1, Math.round(promptTokens * estimateFactor));
  }

  /** The task's ID in run {@code run}. */
  public String taskId(String run) {
    return run + "-" + index;
  }
}
