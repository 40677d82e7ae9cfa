package io.sluice.jobapi.idempotency;

/** The {@code Idempotency-Key} header is not a usable key (permanent, HTTP 400). */
public final class InvalidIdempotencyKeyException extends RuntimeException {
  private final String problem;

  public InvalidIdempotencyKeyException(String problem) {
    super(IdempotencyKey.HEADER + " " + problem);
    this.problem = problem;
  }

  /** What is wrong with the key, e.g. {@code must be printable ASCII}. */
  public String problem() {
    return problem;
  }
}
