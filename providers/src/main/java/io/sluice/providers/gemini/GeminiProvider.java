package io.sluice.providers.gemini;

import io.sluice.providers.CompletionResponse;
import io.sluice.providers.Provider;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderKind;
import io.sluice.providers.RateLimitSnapshot;
import io.sluice.providers.internal.HttpReply;
import io.sluice.providers.internal.HttpTransport;
import io.sluice.providers.internal.RequestChecks;
import io.sluice.schemas.job.CompletionSpec;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/**
 * The realtime adapter for the Google Gemini API: {@code POST
 * /v1beta/models/{model}:generateContent} with the key in {@code x-goog-api-key}. Gemini sends no
 * rate-limit headers ({@link RateLimitSnapshot#NONE}); its limits come from configuration and its
 * 429s, whose {@code RetryInfo.retryDelay} becomes the retry hint.
 */
public final class GeminiProvider implements Provider {
  private final HttpTransport transport;

  /**
   * @param config a provider of kind {@code gemini}
   * @param clock the clock for HTTP-date retry hints
   * @throws IllegalArgumentException for a provider of another kind
   */
  public GeminiProvider(ProviderConfig config, Clock clock) {
    this.transport =
        new HttpTransport(config.requireKind(ProviderKind.GEMINI, "the Gemini adapter"), clock);
  }

  @Override
  public String name() {
    return transport.provider();
  }

  @Override
  public CompletionResponse complete(CompletionSpec request) {
    RequestChecks.requireValid(name(), request);
    byte[] body =
        GeminiWire.generateRequest(request, transport.config().defaultMaxTokens())
            .toString()
            .getBytes(StandardCharsets.UTF_8);
    HttpRequest httpRequest =
        transport
            .request(GeminiWire.generatePath(request.model()))
            .header("x-goog-api-key", transport.config().apiKey().reveal())
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(body))
            .build();
    HttpReply reply = transport.send(httpRequest);
    if (!reply.isSuccess()) {
      throw GeminiErrors.failure(transport, reply);
    }
    return transport.completion(
        reply, RateLimitSnapshot.NONE, GeminiWire::parseGenerate, "x-request-id");
  }

  @Override
  public void close() {
    transport.close();
  }
}
