package io.sluice.schemas.model;

/** Which rate-limit headers a provider sends with its responses. */
public enum RateLimitHeaderDialect {
  /** {@code x-ratelimit-{limit,remaining,reset}-{requests,tokens}}, resets as Go durations. */
  OPENAI,
  /**
   * {@code anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,remaining,
   * reset}}, resets as RFC 3339 timestamps.
   */
  ANTHROPIC,
  /** None: limits come from configuration and from the provider's 429s (Gemini). */
  NONE
}
