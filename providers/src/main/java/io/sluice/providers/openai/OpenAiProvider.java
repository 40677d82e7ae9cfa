package io.sluice.providers.openai;

import io.sluice.providers.CompletionResponse;
import io.sluice.providers.Provider;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderKind;
import io.sluice.providers.RateLimitSnapshot;
import io.sluice.providers.internal.HttpReply;
import io.sluice.providers.internal.HttpTransport;
import io.sluice.providers.internal.RateLimitHeaders;
import io.sluice.providers.internal.RequestChecks;
import io.sluice.schemas.job.CompletionSpec;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * The realtime adapter for OpenAI and for any OpenAI-compatible server (vLLM, Ollama, LiteLLM,
 * OpenRouter): {@code POST /v1/chat/completions}. Sends {@code Authorization: Bearer <key>} when a
 * key is configured; reads {@code x-ratelimit-*} headers when the server sends them.
 */
public final class OpenAiProvider implements Provider {
  private final HttpTransport transport;

  /**
   * @param config a provider of kind {@code openai} or {@code openai-compatible}
   * @param clock the clock that turns reset durations into instants
   * @throws IllegalArgumentException for a provider of another kind
   */
  public OpenAiProvider(ProviderConfig config, Clock clock) {
    if (config.kind() != ProviderKind.OPENAI && config.kind() != ProviderKind.OPENAI_COMPATIBLE) {
      throw new IllegalArgumentException(
          "provider '"
              + config.name()
              + "' is of kind "
              + config.kind().configName()
              + ", which the OpenAI adapter cannot serve");
    }
    this.transport = new HttpTransport(config, clock);
  }

  @Override
  public String name() {
    return transport.provider();
  }

  @Override
  public CompletionResponse complete(CompletionSpec request) {
    RequestChecks.requireValid(name(), request);
    byte[] body =
        OpenAiWire.chatRequest(
                request,
                transport.config().defaultMaxTokens(),
                OpenAiWire.maxTokensField(transport.config().kind()))
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    HttpReply reply = transport.send(post(OpenAiWire.CHAT_PATH, body));
    RateLimitSnapshot limits =
        RateLimitHeaders.read(
            transport.config().kind().rateLimitHeaders(), reply.headers(), reply.sentAt());
    return transport.completion(reply, limits, OpenAiWire::parseChat, "x-request-id");
  }

  private HttpRequest post(String path, byte[] body) {
    return OpenAiAuth.authorize(transport, transport.request(path))
        .header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body))
        .build();
  }

  @Override
  public void close() {
    transport.close();
  }
}
