package io.sluice.schemas.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sluice.schemas.Versioned;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Objects;

/**
 * A change of a job's status, with its result when it is terminal; the value of {@code
 * sluice.jobs.events}. job-api projects these into the job row.
 *
 * @param eventId stable ID of this event (the dedup key downstream, also for webhooks)
 * @param jobId the job
 * @param tenantId its tenant
 * @param status the status the job moved to
 * @param output the output text, for a succeeded job
 * @param usage the tokens used so far (all calls of the job)
 * @param provider the provider that ran it
 * @param model the provider's model name
 * @param costUsd the cost so far in US dollars, or {@code null} when unknown
 * @param error why it failed, for a failed job
 * @param attempts provider calls made for the job
 * @param startedAt when work on the job started
 * @param occurredAt when the change happened
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobEvent(
    int schemaVersion,
    String eventId,
    String jobId,
    String tenantId,
    JobStatus status,
    String output,
    TokenUsage usage,
    String provider,
    String model,
    BigDecimal costUsd,
    ErrorInfo error,
    int attempts,
    Instant startedAt,
    Instant occurredAt)
    implements Versioned {

  public JobEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(status, "status");
  }
}
