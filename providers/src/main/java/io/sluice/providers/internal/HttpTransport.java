package io.sluice.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapSetter;
import io.sluice.providers.CompletionResponse;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderException;
import io.sluice.providers.ProviderException.Kind;
import io.sluice.providers.RateLimitSnapshot;
import io.sluice.schemas.json.Json;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.HttpTimeoutException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP edge of one provider account: a {@link HttpClient} on virtual threads with the
 * configured connect timeout, and a deadline on every whole exchange (headers and body). Turns
 * transport failures and error responses into classified {@link ProviderException}s, with the API
 * key redacted from every message. Never retries.
 */
public final class HttpTransport implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(HttpTransport.class);

  private static final W3CTraceContextPropagator TRACE_CONTEXT =
      W3CTraceContextPropagator.getInstance();
  private static final TextMapSetter<HttpRequest.Builder> TRACE_HEADER =
      (builder, name, value) -> {
        if (builder != null) {
          builder.setHeader(name, value);
        }
      };

  private final ProviderConfig config;
  private final Clock clock;
  private final ExecutorService executor;
  private final HttpClient client;

  /**
   * @param config the provider account
   * @param clock the clock for response times (rate-limit resets, HTTP-date retry hints)
   */
  public HttpTransport(ProviderConfig config, Clock clock) {
    this.config = config;
    this.clock = clock;
    this.executor = Executors.newVirtualThreadPerTaskExecutor();
    this.client =
        HttpClient.newBuilder()
            .executor(executor)
            .connectTimeout(config.connectTimeout())
            .followRedirects(HttpClient.Redirect.NEVER)
            .version(
                "https".equalsIgnoreCase(config.baseUrl().getScheme())
                    ? HttpClient.Version.HTTP_2
                    : HttpClient.Version.HTTP_1_1)
            .build();
  }

  /** The provider's name. */
  public String provider() {
    return config.name();
  }

  /** The provider account this transport talks to. */
  public ProviderConfig config() {
    return config;
  }

  /** The injected clock. */
  public Clock clock() {
    return clock;
  }

  /**
   * A request builder for an API path such as {@code /v1/chat/completions}, with the W3C trace
   * context ({@code traceparent}, {@code tracestate}) of the calling thread's current span when
   * there is one (never when tracing is off).
   */
  public HttpRequest.Builder request(String apiPath) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(config.resolve(apiPath)).timeout(config.requestTimeout());
    TRACE_CONTEXT.inject(Context.current(), builder, TRACE_HEADER);
    return builder;
  }

  /**
   * Sends one request and waits for the whole response, at most the configured request timeout.
   *
   * @return the response, whatever its status
   * @throws ProviderException (retriable) on timeout, connection failure or interruption
   */
  public HttpReply send(HttpRequest request) {
    long started = System.nanoTime();
    Instant sentAt = clock.instant();
    CompletableFuture<HttpResponse<byte[]>> exchange =
        client.sendAsync(request, BodyHandlers.ofByteArray());
    try {
      HttpResponse<byte[]> response =
          exchange.get(config.requestTimeout().toNanos(), TimeUnit.NANOSECONDS);
      log.debug(
          "{} {} {} answered {} in {} ms",
          config.name(),
          request.method(),
          request.uri().getPath(),
          response.statusCode(),
          elapsedMillis(started));
      return new HttpReply(
          response.statusCode(), response.headers(), response.body(), sentAt, clock.instant());
    } catch (TimeoutException e) {
      exchange.cancel(true);
      throw timeout(
          request, "no complete response within request-timeout " + config.requestTimeout(), e);
    } catch (ExecutionException e) {
      throw transportFailure(request, e.getCause() == null ? e : e.getCause());
    } catch (InterruptedException e) {
      exchange.cancel(true);
      Thread.currentThread().interrupt();
      throw ProviderException.retriable(
          config.name(),
          0,
          "interrupted",
          "interrupted while waiting for " + describe(request),
          null,
          null,
          e);
    }
  }

  /**
   * Sends a request and returns the parsed JSON body of a 2xx response.
   *
   * @param rateLimits reads the provider's rate-limit headers from a response
   * @throws ProviderException classified: an error status, a timeout, a connection failure, or a
   *     2xx body that is not JSON (retriable {@code malformed_response})
   */
  public JsonNode sendForJson(
      HttpRequest request, Function<HttpReply, RateLimitSnapshot> rateLimits) {
    HttpReply reply = send(request);
    RateLimitSnapshot snapshot = rateLimits.apply(reply);
    if (!reply.isSuccess()) {
      throw failure(reply, snapshot);
    }
    return json(reply, snapshot);
  }

  /** Parses a 2xx body as JSON, or throws a retriable {@code malformed_response}. */
  public JsonNode json(HttpReply reply, RateLimitSnapshot snapshot) {
    try {
      JsonNode node = Json.mapper().readTree(reply.body());
      if (node == null || node.isMissingNode()) {
        throw malformed(reply, snapshot, "the response body is empty", null);
      }
      return node;
    } catch (IOException e) {
      throw malformed(
          reply,
          snapshot,
          "the response body is not valid JSON (" + e.getClass().getSimpleName() + ")",
          e);
    }
  }

  /**
   * The completion a realtime call answered: a failure status, an unreadable body or a refusal
   * become {@link ProviderException}s (refusal text redacted like every provider message).
   *
   * @param parser the provider's response parser; throws {@link MalformedBodyException}
   * @param requestIdHeader the header carrying the provider's request ID, used when the body
   *     carries none
   */
  public CompletionResponse completion(
      HttpReply reply,
      RateLimitSnapshot limits,
      Function<JsonNode, ParsedCompletion> parser,
      String requestIdHeader) {
    if (!reply.isSuccess()) {
      throw failure(reply, limits);
    }
    JsonNode json = json(reply, limits);
    ParsedCompletion parsed;
    try {
      parsed = parser.apply(json);
    } catch (MalformedBodyException e) {
      throw malformed(reply, limits, e.getMessage(), e);
    }
    if (parsed.isRefusal()) {
      throw ProviderException.permanent(
          provider(), reply.status(), "refusal", redact(parsed.refusal()), null);
    }
    String requestId =
        parsed.requestId() != null ? parsed.requestId() : reply.header(requestIdHeader);
    return new CompletionResponse(
        parsed.output(), parsed.usage(), parsed.model(), limits, requestId);
  }

  /** A classified exception for an error response, keeping the provider's code and message. */
  public ProviderException failure(HttpReply reply, RateLimitSnapshot snapshot) {
    ErrorBody error = ErrorBody.parse(reply.status(), reply.bodyText());
    Kind kind =
        FailureClassifier.classify(
            reply.status(), error.code(), RetryHints.shouldRetry(reply.headers()));
    Duration retryAfter = RetryHints.retryAfter(reply.headers(), reply.receivedAt()).orElse(null);
    return new ProviderException(
        config.name(),
        kind,
        reply.status(),
        error.code(),
        redact(error.message()),
        retryAfter,
        snapshot,
        null);
  }

  /**
   * A retriable {@code malformed_response}: a 2xx response Sluice cannot read (invalid JSON, cut
   * short, missing fields). The call may have been billed; trying again is still the only way to
   * get an answer.
   */
  public ProviderException malformed(
      HttpReply reply, RateLimitSnapshot snapshot, String problem, Exception cause) {
    return ProviderException.retriable(
        config.name(),
        reply.status(),
        "malformed_response",
        problem,
        RetryHints.retryAfter(reply.headers(), reply.receivedAt()).orElse(null),
        snapshot,
        cause);
  }

  /** The text with the API key removed. */
  public String redact(String text) {
    return config.apiKey() == null ? text : config.apiKey().redact(text);
  }

  private ProviderException transportFailure(HttpRequest request, Throwable cause) {
    if (cause instanceof HttpConnectTimeoutException) {
      return timeout(
          request, "no connection within connect-timeout " + config.connectTimeout(), cause);
    }
    if (cause instanceof HttpTimeoutException) {
      return timeout(
          request, "no response within request-timeout " + config.requestTimeout(), cause);
    }
    if (cause instanceof IOException) {
      return ProviderException.retriable(
          config.name(),
          0,
          "connection_failed",
          redact(
              describe(request)
                  + ": "
                  + cause.getClass().getSimpleName()
                  + ": "
                  + cause.getMessage()),
          null,
          null,
          cause);
    }
    if (cause instanceof RuntimeException runtime) {
      throw runtime;
    }
    throw new IllegalStateException("unexpected failure calling " + describe(request), cause);
  }

  private ProviderException timeout(HttpRequest request, String what, Throwable cause) {
    log.debug("{} {} timed out: {}", config.name(), describe(request), what);
    return ProviderException.retriable(
        config.name(), 0, "timeout", describe(request) + ": " + what, null, null, cause);
  }

  private static String describe(HttpRequest request) {
    return request.method() + " " + request.uri().getPath();
  }

  private static long elapsedMillis(long startedNanos) {
    return (System.nanoTime() - startedNanos) / 1_000_000;
  }

  /** A clock reading, for callers that stamp their own times. */
  public Instant now() {
    return clock.instant();
  }

  @Override
  public void close() {
    client.close();
    executor.close();
  }
}
