package io.sluice.providers.internal;

import io.sluice.schemas.job.TokenUsage;

/**
 * A provider's answer to one call, read from its wire format.
 *
 * @param output the generated text (for structured output, the JSON document), or {@code null} when
 *     the model refused
 * @param usage tokens the provider counted
 * @param model the model that answered
 * @param refusal the model's refusal message when it declined to answer, else {@code null}
 * @param requestId the request ID the body carries (Gemini's {@code responseId}), else {@code null}
 *     (the ID is then read from a header)
 */
public record ParsedCompletion(
    String output, TokenUsage usage, String model, String refusal, String requestId) {

  /** A completion whose request ID comes in a header. */
  public ParsedCompletion(String output, TokenUsage usage, String model, String refusal) {
    this(output, usage, model, refusal, null);
  }

  /** Whether the model declined to answer. */
  public boolean isRefusal() {
    return output == null;
  }
}
