package io.sluice.providers;

import java.time.Duration;
import java.util.Optional;

/**
 * A failed provider call, classified so that the caller knows what is next: a {@linkplain
 * Kind#RETRIABLE retriable} failure may succeed later (after {@link #retryAfter()} if given), a
 * {@linkplain Kind#PERMANENT permanent} one will not. Carries the provider's own error message.
 */
public class ProviderException extends RuntimeException {
  /** Whether trying again can help. */
  public enum Kind {
    RETRIABLE,
    PERMANENT
  }

  private final String provider;
  private final Kind kind;
  private final int httpStatus;
  private final String errorCode;
  private final Duration retryAfter;
  private final RateLimitSnapshot rateLimits;

  /**
   * @param provider the provider's name
   * @param kind retriable or permanent
   * @param httpStatus the HTTP status, or 0 when no response arrived (timeout, connection reset)
   * @param errorCode a stable code: the provider's error code or type where it gave one (e.g.
   *     {@code rate_limit_exceeded}, {@code overloaded_error}), else one of Sluice's ({@code
   *     timeout}, {@code connection_failed}, {@code malformed_response})
   * @param message the provider's message, or what went wrong
   * @param retryAfter how long the provider asked to wait, or {@code null}
   * @param rateLimits the rate-limit headers of the failed response
   * @param cause the underlying exception, or {@code null}
   */
  public ProviderException(
      String provider,
      Kind kind,
      int httpStatus,
      String errorCode,
      String message,
      Duration retryAfter,
      RateLimitSnapshot rateLimits,
      Throwable cause) {
    super(provider + " call failed (" + describe(httpStatus, errorCode) + "): " + message, cause);
    this.provider = provider;
    this.kind = kind;
    this.httpStatus = httpStatus;
    this.errorCode = errorCode;
    this.retryAfter = retryAfter;
    this.rateLimits = rateLimits == null ? RateLimitSnapshot.NONE : rateLimits;
  }

  /** A failure that may succeed when tried again (after {@code retryAfter} if given). */
  public static ProviderException retriable(
      String provider,
      int httpStatus,
      String errorCode,
      String message,
      Duration retryAfter,
      RateLimitSnapshot rateLimits,
      Throwable cause) {
    return new ProviderException(
        provider, Kind.RETRIABLE, httpStatus, errorCode, message, retryAfter, rateLimits, cause);
  }

  /** A failure that will not succeed when tried again with the same request. */
  public static ProviderException permanent(
      String provider, int httpStatus, String errorCode, String message, Throwable cause) {
    return new ProviderException(
        provider, Kind.PERMANENT, httpStatus, errorCode, message, null, null, cause);
  }

  private static String describe(int httpStatus, String errorCode) {
    return httpStatus == 0 ? errorCode : "HTTP " + httpStatus + " " + errorCode;
  }

  /** The provider's name, e.g. {@code openai}. */
  public String provider() {
    return provider;
  }

  /** Whether trying again can help. */
  public Kind kind() {
    return kind;
  }

  /** {@code true} for a {@linkplain Kind#RETRIABLE retriable} failure. */
  public boolean isRetriable() {
    return kind == Kind.RETRIABLE;
  }

  /** The HTTP status, or 0 when no (complete) response arrived. */
  public int httpStatus() {
    return httpStatus;
  }

  /** The provider's error code or type, or one of Sluice's own codes. */
  public String errorCode() {
    return errorCode;
  }

  /** How long the provider asked to wait before trying again, if it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }

  /** The rate-limit headers of the failed response; {@link RateLimitSnapshot#NONE} if none. */
  public RateLimitSnapshot rateLimits() {
    return rateLimits;
  }

  /** Whether this is a 429: the rate limiter should have prevented it. */
  public boolean isRateLimited() {
    return httpStatus == 429;
  }
}
