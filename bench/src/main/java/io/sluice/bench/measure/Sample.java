package io.sluice.bench.measure;

/**
 * Cumulative counts at one moment of a run, from the simulator's meter (requests, tokens, 429s,
 * other errors) plus the {@code max_tokens} of the calls that succeeded (which the meter does not
 * record, but OpenAI counts against the token limit).
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
    long reservedOutputTokens,
    long epochMillis) {

  /** The same counts with another {@code max_tokens} sum. */
  public Sample withReservedOutputTokens(long value) {
    return new Sample(
        seconds, requests, inputTokens, outputTokens, rateLimited, errors, value, epochMillis);
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
        reservedOutputTokens - earlier.reservedOutputTokens,
        epochMillis);
  }

  /** Tokens as OpenAI charges them against the token limit: prompt plus {@code max_tokens}. */
  public long chargedTokens() {
    return inputTokens + reservedOutputTokens;
  }

  /** Tokens of successful calls (prompt plus generated output): useful throughput. */
  public long usefulTokens() {
    return inputTokens + outputTokens;
  }
}
