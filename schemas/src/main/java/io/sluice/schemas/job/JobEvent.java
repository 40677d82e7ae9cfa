package io.sluice.schemas.job;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemas.Versioned;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
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
 * @param placement where the deferred lane has the job's task (pending, in provider batch X,
 *     resubmitted, fallen back to realtime), or {@code null}
 * @param realtimeCostUsd what the job would have cost at the realtime price, for work billed at the
 *     batch price; otherwise {@code null}
 * @param progress a map-reduce job's progress (phase, chunks, reduce level, skipped chunks), or
 *     {@code null}
 * @param outputJson the output parsed as JSON, for a succeeded job with a response schema
 * @param repairs repair calls made because the output did not satisfy the response schema, for a
 *     job with one that ended; otherwise {@code null}
 * @param providerAttempts for a job with a fallback chain, the entries it tried in order (the last
 *     answered when it succeeded); otherwise {@code null}
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
    Instant occurredAt,
    Placement placement,
    BigDecimal realtimeCostUsd,
    MapReduceProgress progress,
    JsonNode outputJson,
    Integer repairs,
    List<ProviderAttempt> providerAttempts)
    implements Versioned {

  /** An event without provider attempts (a job without a fallback chain). */
  public JobEvent(
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
      Instant occurredAt,
      Placement placement,
      BigDecimal realtimeCostUsd,
      MapReduceProgress progress,
      JsonNode outputJson,
      Integer repairs) {
    this(
        schemaVersion,
        eventId,
        jobId,
        tenantId,
        status,
        output,
        usage,
        provider,
        model,
        costUsd,
        error,
        attempts,
        startedAt,
        occurredAt,
        placement,
        realtimeCostUsd,
        progress,
        outputJson,
        repairs,
        null);
  }

  /** This event with the fallback chain entries its job tried. */
  public JobEvent withProviderAttempts(List<ProviderAttempt> tried) {
    return new JobEvent(
        schemaVersion,
        eventId,
        jobId,
        tenantId,
        status,
        output,
        usage,
        provider,
        model,
        costUsd,
        error,
        attempts,
        startedAt,
        occurredAt,
        placement,
        realtimeCostUsd,
        progress,
        outputJson,
        repairs,
        tried == null ? null : List.copyOf(tried));
  }

  /** An event without structured output. */
  public JobEvent(
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
      Instant occurredAt,
      Placement placement,
      BigDecimal realtimeCostUsd,
      MapReduceProgress progress) {
    this(
        schemaVersion,
        eventId,
        jobId,
        tenantId,
        status,
        output,
        usage,
        provider,
        model,
        costUsd,
        error,
        attempts,
        startedAt,
        occurredAt,
        placement,
        realtimeCostUsd,
        progress,
        null,
        null);
  }

  /** An event without map-reduce progress. */
  public JobEvent(
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
      Instant occurredAt,
      Placement placement,
      BigDecimal realtimeCostUsd) {
    this(
        schemaVersion,
        eventId,
        jobId,
        tenantId,
        status,
        output,
        usage,
        provider,
        model,
        costUsd,
        error,
        attempts,
        startedAt,
        occurredAt,
        placement,
        realtimeCostUsd,
        null);
  }

  public JobEvent {
    Objects.requireNonNull(eventId, "eventId");
    Objects.requireNonNull(jobId, "jobId");
    Objects.requireNonNull(status, "status");
  }

  /** An event without placement or realtime price. */
  public JobEvent(
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
      Instant occurredAt) {
    this(
        schemaVersion,
        eventId,
        jobId,
        tenantId,
        status,
        output,
        usage,
        provider,
        model,
        costUsd,
        error,
        attempts,
        startedAt,
        occurredAt,
        null,
        null);
  }
}
