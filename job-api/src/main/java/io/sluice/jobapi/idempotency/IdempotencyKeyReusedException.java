package io.sluice.jobapi.idempotency;

/** The same key came with a different request body (permanent, HTTP 422). */
public final class IdempotencyKeyReusedException extends RuntimeException {
  private final String jobId;

  public IdempotencyKeyReusedException(IdempotencyKey key, String jobId) {
    super(
        "Idempotency-Key '"
            + key.value()
            + "' was already used with a different request body (for job "
            + jobId
            + "); use a new key for a new request");
    this.jobId = jobId;
  }

  /** The job the key created first. */
  public String jobId() {
    return jobId;
  }
}
