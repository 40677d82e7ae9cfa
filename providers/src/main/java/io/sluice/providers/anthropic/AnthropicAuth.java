package io.sluice.providers.anthropic;

import io.sluice.providers.internal.HttpTransport;
import java.net.http.HttpRequest;

/** Adds Anthropic's {@code x-api-key} and {@code anthropic-version} headers. */
final class AnthropicAuth {
  private AnthropicAuth() {}

  static HttpRequest.Builder authorize(HttpTransport transport, HttpRequest.Builder request) {
    return request
        .header("x-api-key", transport.config().apiKey().reveal())
        .header("anthropic-version", transport.config().anthropicVersion())
        .header("Accept", "application/json");
  }
}
