package io.sluice.providers.anthropic;

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
 * The realtime adapter for Anthropic: {@code POST /v1/messages} with {@code x-api-key} and {@code
 * anthropic-version}; reads the {@code anthropic-ratelimit-*} headers (requests, tokens, input and
 * output tokens). A {@code response_schema} becomes {@code output_config.format} (Anthropic's
 * structured outputs).
 */
public final class AnthropicProvider implements Provider {
  private final HttpTransport transport;

  /**
   * @param config a provider of kind {@code anthropic}
   * @param clock the clock for HTTP-date retry hints
   * @throws IllegalArgumentException for a provider of another kind
   */
  public AnthropicProvider(ProviderConfig config, Clock clock) {
    this.transport =
        new HttpTransport(
            config.requireKind(ProviderKind.ANTHROPIC, "the Anthropic adapter"), clock);
  }

  @Override
  public String name() {
    return transport.provider();
  }

  @Override
  public CompletionResponse complete(CompletionSpec request) {
    RequestChecks.requireValid(name(), request);
    byte[] body =
        AnthropicWire.messagesRequest(request, transport.config().defaultMaxTokens())
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    HttpRequest httpRequest =
        AnthropicAuth.authorize(transport, transport.request(AnthropicWire.MESSAGES_PATH))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpReply reply = transport.send(httpRequest);
    RateLimitSnapshot limits =
        RateLimitHeaders.read(
            transport.config().kind().rateLimitHeaders(), reply.headers(), reply.receivedAt());
    return transport.completion(reply, limits, AnthropicWire::parseMessage, "request-id");
  }

  @Override
  public void close() {
    transport.close();
  }
}
