package io.sluice.egress;

import java.time.Duration;
import java.util.Optional;

/**
 * What became of one POST. {@code status} is 0 unless the outcome is {@link Outcome#RESPONDED};
 * {@code error} is a short description (empty when the receiver responded) that never quotes the
 * request or the response body.
 */
public record EgressResponse(
    Outcome outcome, int status, Optional<String> retryAfter, Duration latency, String error) {

  /** How far the POST got. */
  public enum Outcome {
    /** The receiver answered with a status line (any status, 3xx included: never followed). */
    RESPONDED,
    /** The destination is refused by the {@link EgressRules} (checked again at every post). */
    REFUSED_DESTINATION,
    /** No connection: the name did not resolve, the connection was refused or timed out. */
    CONNECT_FAILED,
    /** Connected, but no complete response head within the request timeout. */
    TIMED_OUT,
    /** Anything else: a TLS failure, a response that is not HTTP/1.1, a broken connection. */
    FAILED
  }

  public EgressResponse {
    if (outcome == null || retryAfter == null || latency == null || error == null) {
      throw new IllegalArgumentException("outcome, retryAfter, latency and error are required");
    }
    if ((outcome == Outcome.RESPONDED) != (status != 0)) {
      throw new IllegalArgumentException("status is set exactly when the receiver responded");
    }
  }

  /** True when the receiver answered 2xx. */
  public boolean isSuccess() {
    return outcome == Outcome.RESPONDED && status >= 200 && status < 300;
  }

  static EgressResponse responded(int status, Optional<String> retryAfter, Duration latency) {
    return new EgressResponse(Outcome.RESPONDED, status, retryAfter, latency, "");
  }

  static EgressResponse failed(Outcome outcome, Duration latency, String error) {
    return new EgressResponse(outcome, 0, Optional.empty(), latency, error);
  }
}
