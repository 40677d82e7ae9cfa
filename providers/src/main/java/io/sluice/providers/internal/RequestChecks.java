package io.sluice.providers.internal;

import io.sluice.providers.ProviderException;
import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;

/** Refuses calls no provider could answer, before anything is sent. */
public final class RequestChecks {
  private RequestChecks() {}

  /**
   * @throws ProviderException permanent {@code invalid_request} when the model is missing or there
   *     are no messages
   */
  public static void requireValid(String provider, CompletionSpec spec) {
    if (spec == null || spec.model() == null || spec.model().isBlank()) {
      throw ProviderException.permanent(
          provider, 0, "invalid_request", "the call names no model", null);
    }
    if (spec.messages() == null || spec.messages().isEmpty()) {
      throw ProviderException.permanent(
          provider, 0, "invalid_request", "the call to " + spec.model() + " has no messages", null);
    }
    for (ChatMessage message : spec.messages()) {
      if (message == null || message.role() == null || message.content() == null) {
        throw ProviderException.permanent(
            provider, 0, "invalid_request", "a message has no role or no content", null);
      }
    }
  }
}
