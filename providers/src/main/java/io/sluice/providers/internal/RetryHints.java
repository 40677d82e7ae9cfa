package io.sluice.providers.internal;

import java.math.BigDecimal;
import java.net.http.HttpHeaders;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/**
 * Reads a provider's retry hints, as the official SDKs do: {@code retry-after-ms} (milliseconds)
 * first, then {@code retry-after} as seconds or as an HTTP date; and {@code x-should-retry}.
 */
public final class RetryHints {
  /** The longest wait a hint may ask for; longer or unparsable hints are ignored. */
  public static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

  private RetryHints() {}

  /**
   * How long the response asked the caller to wait.
   *
   * @param headers the response headers
   * @param now the time the response arrived (for HTTP-date hints)
   * @return the wait, clamped at zero for dates in the past; empty when there is no usable hint
   */
  public static Optional<Duration> retryAfter(HttpHeaders headers, Instant now) {
    Optional<Duration> millis =
        headers.firstValue("retry-after-ms").flatMap(v -> decimal(v).map(RetryHints::ofMillis));
    if (millis.isPresent()) {
      return millis.filter(RetryHints::plausible);
    }
    return headers
        .firstValue("retry-after")
        .flatMap(v -> retryAfterValue(v, now))
        .filter(RetryHints::plausible);
  }

  /**
   * The {@code x-should-retry} header: {@code true} or {@code false} when the provider said, empty
   * otherwise.
   */
  public static Optional<Boolean> shouldRetry(HttpHeaders headers) {
    return headers
        .firstValue("x-should-retry")
        .map(String::strip)
        .filter(v -> v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false"))
        .map(Boolean::parseBoolean);
  }

  /** A {@code retry-after} value: decimal seconds or an RFC 1123 HTTP date. */
  static Optional<Duration> retryAfterValue(String value, Instant now) {
    Optional<BigDecimal> seconds = decimal(value);
    if (seconds.isPresent()) {
      return seconds.map(s -> ofMillis(s.movePointRight(3)));
    }
    try {
      Instant at =
          ZonedDateTime.parse(value.strip(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
      return Optional.of(at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO);
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }

  private static Optional<BigDecimal> decimal(String value) {
    try {
      BigDecimal number = new BigDecimal(value.strip());
      return number.signum() < 0 ? Optional.empty() : Optional.of(number);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  private static Duration ofMillis(BigDecimal millis) {
    return Duration.ofNanos(millis.movePointRight(6).longValue());
  }

  private static boolean plausible(Duration wait) {
    return wait.compareTo(MAX_RETRY_AFTER) <= 0;
  }
}
