package io.sluice.batch.plan;

import java.util.Objects;

/**
 * What one provider batch may mix: the provider account and the provider's model. Every deferred
 * task goes to {@code /v1/chat/completions} (OpenAI) or Messages (Anthropic), so the endpoint is
 * implied by the provider.
 *
 * @param provider the provider account's name, e.g. {@code openai}
 * @param model the provider's model name
 */
public record GroupKey(String provider, String model) {
  public GroupKey {
    Objects.requireNonNull(provider, "provider");
    Objects.requireNonNull(model, "model");
  }

  @Override
  public String toString() {
    return provider + "/" + model;
  }
}
