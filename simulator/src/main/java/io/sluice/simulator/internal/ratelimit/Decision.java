package io.sluice.simulator.internal.ratelimit;

import java.time.Duration;
import java.util.Map;

/**
 * The outcome of asking a limiter to admit a call.
 *
 * @param admitted whether the call may go ahead
 * @param headers the rate-limit headers to send, whatever the outcome
 * @param retryAfter how long to wait before the call could be admitted (rejections only)
 * @param message the provider's message for a rejection
 * @param limitType which limit was hit ({@code requests}, {@code tokens}, {@code input_tokens},
 *     {@code output_tokens}), for rejections
 * @param reservation what was taken, for reconciling after the call (admissions only)
 */
public record Decision(
    boolean admitted,
    Map<String, String> headers,
    Duration retryAfter,
    String message,
    String limitType,
    Reservation reservation) {

  /** What an admitted call took from the buckets. */
  public record Reservation(long inputTokens, long outputTokens) {}
}
