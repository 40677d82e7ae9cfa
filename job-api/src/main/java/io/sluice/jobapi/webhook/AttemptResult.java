package io.sluice.jobapi.webhook;

import java.time.Duration;
import java.util.Optional;

/**
 * What one attempt to send a delivery came to.
 *
 * @param responded whether the endpoint answered with an HTTP status
 * @param statusCode the status it answered with, or 0
 * @param retryAfter its {@code Retry-After} header, if any
 * @param latency how long the attempt took
 * @param error why it failed, in words for the tenant ({@code null} for a 2xx)
 */
public record AttemptResult(
    boolean responded,
    int statusCode,
    Optional<String> retryAfter,
    Duration latency,
    String error) {

  public static AttemptResult response(int status, Optional<String> retryAfter, Duration latency) {
    return new AttemptResult(true, status, retryAfter, latency, describe(status));
  }

  /** No HTTP answer: refused destination, connection failure, timeout. */
  public static AttemptResult noResponse(String error, Duration latency) {
    return new AttemptResult(false, 0, Optional.empty(), latency, error);
  }

  public boolean succeeded() {
    return responded && statusCode >= 200 && statusCode < 300;
  }

  private static String describe(int status) {
    if (status >= 200 && status < 300) {
      return null;
    }
    if (status >= 300 && status < 400) {
      return "answered " + status + " (a redirect; redirects are not followed)";
    }
    return "answered " + status;
  }
}
