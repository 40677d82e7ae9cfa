package io.sluice.ratelimit;

/**
 * What a rate-limit bucket counts. A provider limits some of these: OpenAI counts {@link #REQUESTS}
 * and {@link #TOKENS} (prompt + {@code max_tokens} at admission); Anthropic counts {@link
 * #REQUESTS}, {@link #INPUT_TOKENS} and {@link #OUTPUT_TOKENS} in separate buckets.
 */
public enum Meter {
  /** One unit per call. */
  REQUESTS,
  /** Input plus output tokens. */
  TOKENS,
  /** Input (prompt) tokens only. */
  INPUT_TOKENS,
  /** Output (completion) tokens only. */
  OUTPUT_TOKENS;

  /** How many units of this meter a demand uses. */
  public long amountOf(Demand demand) {
    return switch (this) {
      case REQUESTS -> demand.requests();
      case TOKENS -> demand.inputTokens() + demand.outputTokens();
      case INPUT_TOKENS -> demand.inputTokens();
      case OUTPUT_TOKENS -> demand.outputTokens();
    };
  }
}
