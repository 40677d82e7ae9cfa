package io.sluice.providers.openai;

import io.sluice.providers.internal.HttpTransport;
import java.net.http.HttpRequest;

/** Adds OpenAI's bearer authentication when a key is configured. */
final class OpenAiAuth {
  private OpenAiAuth() {}

  static HttpRequest.Builder authorize(HttpTransport transport, HttpRequest.Builder request) {
    if (transport.config().apiKey() != null) {
      request.header("Authorization", "Bearer " + transport.config().apiKey().reveal());
    }
    return request.header("Accept", "application/json");
  }
}
