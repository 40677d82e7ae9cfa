package io.sluice.providers.internal;

import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Instant;

/**
 * A complete HTTP response from a provider.
 *
 * @param status the HTTP status
 * @param headers the response headers
 * @param body the body bytes
 * @param sentAt when the request was sent, by the injected clock (a provider counts the call, and
 *     writes its rate-limit headers, when it arrives: relative resets count from about then)
 * @param receivedAt when the response arrived, by the injected clock
 */
public record HttpReply(
    int status, HttpHeaders headers, byte[] body, Instant sentAt, Instant receivedAt) {
  /** Whether the status is 2xx. */
  public boolean isSuccess() {
    return status >= 200 && status < 300;
  }

  /** The body as UTF-8 text. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** The first value of a header, or {@code null}. */
  public String header(String name) {
    return headers.firstValue(name).orElse(null);
  }
}
