package io.sluice.providers;

import java.time.Instant;

/**
 * The rate-limit state a provider reported in one response's headers, in one shape for every
 * provider. A {@code null} field means the provider did not say. Reset times are absolute (OpenAI's
 * durations such as {@code 6m0s} are added to the response time).
 *
 * @param requestsLimit requests allowed per window
 * @param requestsRemaining requests left in the window
 * @param requestsReset when the request budget is full again
 * @param tokensLimit tokens allowed per window (all tokens, or input+output where not split)
 * @param tokensRemaining tokens left
 * @param tokensReset when the token budget is full again
 * @param inputTokensLimit input tokens allowed per window (Anthropic)
 * @param inputTokensRemaining input tokens left (Anthropic)
 * @param inputTokensReset when the input-token budget is full again (Anthropic)
 * @param outputTokensLimit output tokens allowed per window (Anthropic)
 * @param outputTokensRemaining output tokens left (Anthropic)
 * @param outputTokensReset when the output-token budget is full again (Anthropic)
 */
public record RateLimitSnapshot(
    Long requestsLimit,
    Long requestsRemaining,
    Instant requestsReset,
    Long tokensLimit,
    Long tokensRemaining,
    Instant tokensReset,
    Long inputTokensLimit,
    Long inputTokensRemaining,
    Instant inputTokensReset,
    Long outputTokensLimit,
    Long outputTokensRemaining,
    Instant outputTokensReset) {

  /** A response that carried no rate-limit headers. */
  public static final RateLimitSnapshot NONE =
      new RateLimitSnapshot(null, null, null, null, null, null, null, null, null, null, null, null);

  /** Whether the response carried no rate-limit headers at all. */
  public boolean isEmpty() {
    return equals(NONE);
  }
}
