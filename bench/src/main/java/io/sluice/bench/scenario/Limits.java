package io.sluice.bench.scenario;

import io.sluice.ratelimit.RateLimits;
import io.sluice.schemas.model.LimitStyle;
import io.sluice.simulator.ModelLimits;

/**
 * The true limits of one model: what the simulator enforces and, unchanged, what Sluice is given.
 *
 * @param accounting how the provider counts tokens against its limits (its registration's style)
 * @param rpm requests per minute
 * @param tpm tokens per minute (OpenAI style), else 0
 * @param itpm input tokens per minute (Anthropic and Gemini styles), else 0
 * @param otpm output tokens per minute (Anthropic style), else 0
 */
public record Limits(LimitStyle accounting, long rpm, long tpm, long itpm, long otpm) {

  /** The limits a simulator profile holds for a model. */
  public static Limits of(LimitStyle accounting, ModelLimits model) {
    return switch (accounting) {
      case REQUESTS_AND_TOKENS ->
          new Limits(accounting, model.requestsPerMinute(), model.tokensPerMinute(), 0, 0);
      case REQUESTS_INPUT_AND_OUTPUT_TOKENS ->
          new Limits(
              accounting,
              model.requestsPerMinute(),
              0,
              model.inputTokensPerMinute(),
              model.outputTokensPerMinute());
      case REQUESTS_AND_INPUT_TOKENS ->
          new Limits(accounting, model.requestsPerMinute(), 0, model.inputTokensPerMinute(), 0);
    };
  }

  /** The same limits as Sluice's rate limiter takes them. */
  public RateLimits toRateLimits() {
    return RateLimits.forStyle(accounting, rpm, tpm, itpm, otpm);
  }
}
