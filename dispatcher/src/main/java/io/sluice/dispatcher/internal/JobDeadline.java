package io.sluice.dispatcher.internal;

import io.sluice.dispatcher.fallback.FallbackPlan;
import io.sluice.dispatcher.mapreduce.MapReduceRegistration;
import java.time.Instant;
import java.util.Objects;

/**
 * A routed job's deadline (and a map-reduce job's registration, a completion job's fallback plan),
 * passed from dispatch to completion over the dispatcher's own topic (keyed by job ID, partitioned
 * like {@code task-results}), so that completion can end the job {@code expired} when it has not
 * ended by then.
 *
 * @param jobId the job
 * @param tenantId its tenant, for the event that ends it
 * @param deadline when it must be done by, or {@code null} (a map-reduce job without one)
 * @param mapReduce a map-reduce job's registration, or {@code null}
 * @param fallback a completion job's fallback plan, or {@code null}
 */
public record JobDeadline(
    String jobId,
    String tenantId,
    Instant deadline,
    MapReduceRegistration mapReduce,
    FallbackPlan fallback) {
  public JobDeadline {
    Objects.requireNonNull(jobId, "jobId");
    if (deadline == null && mapReduce == null && fallback == null) {
      throw new IllegalArgumentException("job " + jobId + ": a registration without a deadline");
    }
  }

  /** A registration without a fallback plan. */
  public JobDeadline(
      String jobId, String tenantId, Instant deadline, MapReduceRegistration mapReduce) {
    this(jobId, tenantId, deadline, mapReduce, null);
  }

  /** The deadline of a job that is not map-reduce. */
  public JobDeadline(String jobId, String tenantId, Instant deadline) {
    this(jobId, tenantId, deadline, null, null);
  }
}
