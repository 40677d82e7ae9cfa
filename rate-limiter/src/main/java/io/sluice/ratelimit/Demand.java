package io.sluice.ratelimit;

/**
 * What a call uses, or is expected to use, of an account's limits.
 *
 * <p>Before a call this is the reservation: one request, the estimated input tokens and the output
 * tokens the provider counts at admission (usually {@code max_tokens}). After the call it is the
 * actual usage.
 *
 * @param requests number of requests (1 for one call; 0 for a pure token charge)
 * @param inputTokens input (prompt) tokens
 * @param outputTokens output (completion) tokens
 */
public record Demand(long requests, long inputTokens, long outputTokens) {
  /** Nothing at all. */
  public static final Demand NONE = new Demand(0, 0, 0);

  public Demand {
    if (requests < 0 || inputTokens < 0 || outputTokens < 0) {
      throw new IllegalArgumentException(
          "a demand must not be negative: requests="
              + requests
              + " input="
              + inputTokens
              + " output="
              + outputTokens);
    }
  }

  /**
   * One call with this many estimated input tokens that may produce up to {@code maxOutputTokens}.
   */
  public static Demand ofCall(long estimatedInputTokens, long maxOutputTokens) {
    return new Demand(1, estimatedInputTokens, maxOutputTokens);
  }

  /** Input plus output tokens. */
  public long totalTokens() {
    return inputTokens + outputTokens;
  }
}
