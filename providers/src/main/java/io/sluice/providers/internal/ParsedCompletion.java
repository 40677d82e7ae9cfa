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
 */
public record ParsedCompletion(String output, TokenUsage usage, String model, String refusal) {
  /** Whether the model declined to answer. */
  public boolean isRefusal() {
    return output == null;
  }
}
