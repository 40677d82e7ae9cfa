package io.sluice.simulator;

import java.time.Instant;

/**
 * The counts of one API, model and minute.
 *
 * @param api {@code openai} or {@code anthropic}
 * @param model the model the calls named ({@code -} when the body had none)
 * @param minute the start of the minute (by the simulator's clock); {@code null} in totals
 * @param requests realtime calls accepted (admitted by the rate limiter and answered)
 * @param inputTokens prompt tokens of the accepted calls
 * @param outputTokens completion tokens of the accepted calls
 * @param maxTokens the {@code max_tokens} the accepted calls declared (0 for a call without one):
 *     OpenAI charges prompt + {@code max_tokens} against its token limit at admission
 * @param chargedTokens the tokens the rate limiter charged the accepted calls at admission: OpenAI
 *     the prompt (or, under the characters-based estimate, its estimate) + {@code max_tokens};
 *     Anthropic and Gemini the input tokens. Equal to {@code inputTokens + maxTokens} (OpenAI) or
 *     {@code inputTokens} unless the profile's {@link Enforcement} counts differently
 * @param rateLimited calls refused with 429 by the rate limiter
 * @param errors every other error answer (4xx, injected 5xx/529/429, outages)
 */
public record MeterRow(
    String api,
    String model,
    Instant minute,
    long requests,
    long inputTokens,
    long outputTokens,
    long maxTokens,
    long chargedTokens,
    long rateLimited,
    long errors) {

  /** The sum of two rows, keeping this row's labels. */
  public MeterRow plus(MeterRow other) {
    return new MeterRow(
        api,
        model,
        minute,
        requests + other.requests,
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        maxTokens + other.maxTokens,
        chargedTokens + other.chargedTokens,
        rateLimited + other.rateLimited,
        errors + other.errors);
  }
}
