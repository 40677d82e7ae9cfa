package io.sluice.bench.intake;

/** What became of one request of a step. */
public enum Outcome {
  /** {@code 202 Accepted}: the job is committed. */
  ACCEPTED,
  /** {@code 429}: over a request limit, nothing stored. */
  RATE_LIMITED,
  /** Any {@code 5xx}. */
  SERVER_ERROR,
  /** Any other status ({@code 4xx}, {@code 200}, ...). */
  OTHER_STATUS,
  /** The connection broke while the request was under way (no response). */
  CONNECTION_LOST,
  /** Sent, and no response within the request timeout. */
  TIMED_OUT,
  /** Never sent: no connection could be had before the step's drain ran out. */
  NOT_SENT;

  /** The outcome of a response with this status code. */
  public static Outcome ofStatus(int status) {
    if (status == 202) {
      return ACCEPTED;
    }
    if (status == 429) {
      return RATE_LIMITED;
    }
    return status >= 500 ? SERVER_ERROR : OTHER_STATUS;
  }
}
