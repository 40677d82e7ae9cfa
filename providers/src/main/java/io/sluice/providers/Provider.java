package io.sluice.providers;

import io.sluice.schemas.job.CompletionSpec;

/**
 * A provider's realtime API, as workers call it. One adapter per provider (OpenAI, Anthropic,
 * Gemini, any OpenAI-compatible server). Adapters map requests and responses, extract usage and
 * rate-limit headers, and classify failures; they never retry on their own: Sluice owns retries.
 */
public interface Provider extends AutoCloseable {
  /** The provider's name in topic names and configuration, e.g. {@code openai}. */
  String name();

  /**
   * Makes one model call.
   *
   * @param request the call, with the provider's own model name
   * @return the output, usage and rate-limit snapshot
   * @throws ProviderException when the call failed, classified as retriable or permanent
   */
  CompletionResponse complete(CompletionSpec request);

  /** Releases the adapter's HTTP client. Calls after closing fail. The default does nothing. */
  @Override
  default void close() {}
}
