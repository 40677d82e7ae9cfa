package io.sluice.bench.measure;

/**
 * Cumulative counts at one moment of a run, from the simulator's meter: requests, tokens, 429s,
 * other errors and the {@code max_tokens} the accepted calls declared (OpenAI counts them against
 * the token limit).
 *
 * @param seconds time since the run started
 */
public record Sample(
    double seconds,
    long requests,
    long inputTokens,
    long outputTokens,
    long rateLimited,
    long errors,
    long maxTokens) {

  /** The counts between an earlier sample and this one. */
  public Sample minus(Sample earlier) {
    return new Sample(
        seconds - earlier.seconds,
        requests - earlier.requests,
        inputTokens - earlier.inputTokens,
        outputTokens - earlier.outputTokens,
        rateLimited - earlier.rateLimited,
        errors - earlier.errors,
        maxTokens - earlier.maxTokens);
  }

  /** Tokens as OpenAI charges them against the token limit: prompt plus {@code max_tokens}. */
  public long chargedTokens() {
    return inputTokens + maxTokens;
  }

  /** Tokens of successful calls (prompt plus generated output): useful throughput. */
  public long usefulTokens() {
    return inputTokens + outputTokens;
  }
}
