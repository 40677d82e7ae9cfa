package io.sluice.jobapi.outbox;

/** Kafka did not acknowledge an outbox record; the row stays and is published again later. */
public final class OutboxPublishException extends RuntimeException {
  public OutboxPublishException(String message, Throwable cause) {
    super(message, cause);
  }
}
