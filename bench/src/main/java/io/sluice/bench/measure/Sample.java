package io.sluice.bench.measure;

/**
 * Cumulative counts at one moment of a run, from the simulator's meter: requests, tokens, 429s,
 * other errors and the {@code max_tokens} the accepted calls declared (OpenAI counts them against
 * the token limit).
 *
 * @param seconds time since the run started
 * @param chargedTokens the tokens the simulator's limiter charged the accepted calls at admission
 *     (OpenAI: prompt + {@code max_tokens}, the prompt as the provider counts it — its
 *     characters-based estimate under enforcement variant a; Anthropic: input tokens)
 */
public record Sample(
    double seconds,
    long requests,
    long inputTokens,
    long outputTokens,
    long rateLimited,
    long errors,
    long maxTokens,
    long chargedTokens) {

  /** Counts where the limiter charged prompt + {@code max_tokens}, as the exact simulator does. */
  public Sample(
      double seconds,
      long requests,
      long inputTokens,
      long outputTokens,
      long rateLimited,
      long errors,
      long maxTokens) {
    this(
        seconds,
        requests,
        inputTokens,
        outputTokens,
        rateLimited,
        errors,
        maxTokens,
        inputTokens + maxTokens);
  }

  /** The counts between an earlier sample and this one. */
  public Sample minus(Sample earlier) {
    return new Sample(
        seconds - earlier.seconds,
        requests - earlier.requests,
        inputTokens - earlier.inputTokens,
        outputTokens - earlier.outputTokens,
        rateLimited - earlier.rateLimited,
        errors - earlier.errors,
        maxTokens - earlier.maxTokens,
        chargedTokens - earlier.chargedTokens);
  }

  /** Tokens of successful calls (prompt plus generated output): useful throughput. */
  public long usefulTokens() {
    return inputTokens + outputTokens;
  }
}
