package io.sluice.bench.webhooks;

import java.time.Duration;
import java.time.Instant;

/**
 * One delivery as a receiver saw it.
 *
 * @param webhookId the {@code webhook-id} header
 * @param jobId the job of the event
 * @param finishedAt the job's {@code finished_at} in the payload, or {@code null}
 * @param receivedAt when the request reached the receiver
 */
public record Receipt(String webhookId, String jobId, Instant finishedAt, Instant receivedAt) {

  /** From the job's finish to this receipt; {@code null} without a finish time. */
  public Duration latency() {
    return finishedAt == null ? null : Duration.between(finishedAt, receivedAt);
  }
}
