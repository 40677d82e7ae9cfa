package io.sluice.jobapi;

/** job-api could not start: a dependency (PostgreSQL, Kafka, the HTTP port) is not usable. */
public final class JobApiStartException extends RuntimeException {
  public JobApiStartException(String message, Throwable cause) {
    super(message, cause);
  }
}
