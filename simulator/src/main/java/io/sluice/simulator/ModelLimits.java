package io.sluice.simulator;

/**
 * The rate limits of one model in a profile. OpenAI enforces {@code requestsPerMinute} and {@code
 * tokensPerMinute} (prompt + max_tokens at admission); Anthropic enforces {@code
 * requestsPerMinute}, {@code inputTokensPerMinute} and {@code outputTokensPerMinute}; Gemini
 * enforces {@code requestsPerMinute} and {@code tokensPerMinute} counting prompt tokens only. All
 * are continuously refilling buckets whose capacity is the per-minute limit.
 */
public record ModelLimits(
    long requestsPerMinute,
    long tokensPerMinute,
    long inputTokensPerMinute,
    long outputTokensPerMinute) {

  /** The largest limit a bucket supports; {@code unlimited} profiles use it. */
  public static final long MAX = 1_000_000_000L;

  public ModelLimits {
    requirePositive("requestsPerMinute", requestsPerMinute);
    requirePositive("tokensPerMinute", tokensPerMinute);
    requirePositive("inputTokensPerMinute", inputTokensPerMinute);
    requirePositive("outputTokensPerMinute", outputTokensPerMinute);
  }

  /** Limits so high that no test or benchmark reaches them. */
  public static ModelLimits unlimited() {
    return new ModelLimits(MAX, MAX, MAX, MAX);
  }

  /** OpenAI-style limits; the Anthropic input/output limits are set to the token limit. */
  public static ModelLimits openai(long requestsPerMinute, long tokensPerMinute) {
    return new ModelLimits(requestsPerMinute, tokensPerMinute, tokensPerMinute, tokensPerMinute);
  }

  /**
   * Gemini-style limits: requests and input (prompt) tokens per minute; Gemini's limiter reads
   * {@code tokensPerMinute} as its input-token limit.
   */
  public static ModelLimits gemini(long requestsPerMinute, long inputTokensPerMinute) {
    return openai(requestsPerMinute, inputTokensPerMinute);
  }

  /** Anthropic-style limits; the OpenAI token limit is set to input + output. */
  public static ModelLimits anthropic(
      long requestsPerMinute, long inputTokensPerMinute, long outputTokensPerMinute) {
    return new ModelLimits(
        requestsPerMinute,
        Math.min(MAX, inputTokensPerMinute + outputTokensPerMinute),
        inputTokensPerMinute,
        outputTokensPerMinute);
  }

  private static void requirePositive(String name, long value) {
    if (value < 1 || value > MAX) {
      throw new IllegalArgumentException(name + " must be between 1 and " + MAX + ": " + value);
    }
  }
}
