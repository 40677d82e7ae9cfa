package io.sluice.dispatcher.internal;

import java.time.Instant;
import java.util.Objects;

/**
 * A routed job's deadline, passed from dispatch to completion over the dispatcher's own topic
 * (keyed by job ID, partitioned like {@code task-results}), so that completion can end the job
 * {@code expired} when it has not ended by then.
 *
 * @param jobId the job
 * @param tenantId its tenant, for the event that ends it
 * @param deadline when it must be done by
 */
public record JobDeadline(String jobId, String tenantId, Instant deadline) {
  public JobDeadline {
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(deadline, "deadline");
  }
}
