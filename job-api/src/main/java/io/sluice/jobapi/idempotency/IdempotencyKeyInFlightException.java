package io.sluice.jobapi.idempotency;

/**
 * Another request with the same key is being processed right now (retriable, HTTP 409): retry after
 * a moment to get its job.
 */
public final class IdempotencyKeyInFlightException extends RuntimeException {
  public IdempotencyKeyInFlightException(IdempotencyKey key) {
    super(
        "a request with Idempotency-Key '"
            + key.value()
            + "' is still being processed; retry shortly to get its job");
  }
}
