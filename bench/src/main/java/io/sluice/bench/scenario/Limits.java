package io.sluice.bench.scenario;

import io.sluice.ratelimit.RateLimits;
import io.sluice.simulator.ModelLimits;

/**
 * The true limits of one model: what the simulator enforces and, unchanged, what Sluice is given.
 *
 * @param accounting how tokens count
 * @param rpm requests per minute
 * @param tpm tokens per minute (OpenAI), 0 for Anthropic
 * @param itpm input tokens per minute (Anthropic), 0 for OpenAI
 * @param otpm output tokens per minute (Anthropic), 0 for OpenAI
 */
public record Limits(Accounting accounting, long rpm, long tpm, long itpm, long otpm) {

  /** The limits a simulator profile holds for a model. */
  public static Limits of(Accounting accounting, ModelLimits model) {
    return accounting == Accounting.OPENAI
        ? new Limits(accounting, model.requestsPerMinute(), model.tokensPerMinute(), 0, 0)
        : new Limits(
            accounting,
            model.requestsPerMinute(),
            0,
            model.inputTokensPerMinute(),
            model.outputTokensPerMinute());
  }

  /** The same limits as Sluice's rate limiter takes them. */
  public RateLimits toRateLimits() {
    return accounting == Accounting.OPENAI
        ? RateLimits.openAi(rpm, tpm)
        : RateLimits.anthropic(rpm, itpm, otpm);
  }
}
