package io.sluice.providers.internal;

import io.sluice.providers.RateLimitSnapshot;
import io.sluice.schemas.model.RateLimitHeaderDialect;
import java.net.http.HttpHeaders;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads the providers' rate-limit headers into one {@link RateLimitSnapshot}. */
public final class RateLimitHeaders {
  private RateLimitHeaders() {}

  /**
   * The snapshot of a response in a provider's header dialect; {@link RateLimitSnapshot#NONE} for
   * providers that send none (Gemini).
   */
  public static RateLimitSnapshot read(
      RateLimitHeaderDialect dialect, HttpHeaders headers, Instant now) {
    return switch (dialect) {
      case OPENAI -> openAi(headers, now);
      case ANTHROPIC -> anthropic(headers);
      case NONE -> RateLimitSnapshot.NONE;
    };
  }

  /**
   * OpenAI's {@code x-ratelimit-{limit,remaining,reset}-{requests,tokens}}. Resets are durations
   * ({@code 6m0s}) added to {@code now}. Missing or unparsable values are {@code null}.
   */
  public static RateLimitSnapshot openAi(HttpHeaders headers, Instant now) {
    return new RateLimitSnapshot(
        number(headers, "x-ratelimit-limit-requests"),
        number(headers, "x-ratelimit-remaining-requests"),
        goReset(headers, "x-ratelimit-reset-requests", now),
        number(headers, "x-ratelimit-limit-tokens"),
        number(headers, "x-ratelimit-remaining-tokens"),
        goReset(headers, "x-ratelimit-reset-tokens", now),
        null,
        null,
        null,
        null,
        null,
        null);
  }

  /**
   * Anthropic's {@code anthropic-ratelimit-{requests,tokens,input-tokens,output-tokens}-{limit,
   * remaining,reset}}. Resets are RFC 3339 timestamps. Missing or unparsable values are {@code
   * null}.
   */
  public static RateLimitSnapshot anthropic(HttpHeaders headers) {
    return new RateLimitSnapshot(
        number(headers, "anthropic-ratelimit-requests-limit"),
        number(headers, "anthropic-ratelimit-requests-remaining"),
        timestamp(headers, "anthropic-ratelimit-requests-reset"),
        number(headers, "anthropic-ratelimit-tokens-limit"),
        number(headers, "anthropic-ratelimit-tokens-remaining"),
        timestamp(headers, "anthropic-ratelimit-tokens-reset"),
        number(headers, "anthropic-ratelimit-input-tokens-limit"),
        number(headers, "anthropic-ratelimit-input-tokens-remaining"),
        timestamp(headers, "anthropic-ratelimit-input-tokens-reset"),
        number(headers, "anthropic-ratelimit-output-tokens-limit"),
        number(headers, "anthropic-ratelimit-output-tokens-remaining"),
        timestamp(headers, "anthropic-ratelimit-output-tokens-reset"));
  }

  private static Long number(HttpHeaders headers, String name) {
    Optional<String> value = headers.firstValue(name);
    if (value.isEmpty()) {
      return null;
    }
    try {
      return Long.parseLong(value.get().strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static Instant goReset(HttpHeaders headers, String name, Instant now) {
    return headers.firstValue(name).flatMap(GoDuration::parse).map(now::plus).orElse(null);
  }

  private static Instant timestamp(HttpHeaders headers, String name) {
    Optional<String> value = headers.firstValue(name);
    if (value.isEmpty()) {
      return null;
    }
    try {
      return OffsetDateTime.parse(value.get().strip()).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }
}
