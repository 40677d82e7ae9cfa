package io.sluice.jobapi.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.JobType;
import io.sluice.schemas.job.MapReduceProgress;
import io.sluice.schemas.job.MapReduceSpec;
import io.sluice.schemas.job.Mode;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.job.Priority;
import io.sluice.schemas.job.ProviderAttempt;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.job.TokenUsage;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A job as job-api stores it: what was asked for, where it stands, and its result once there is
 * one.
 *
 * @param id the job's ID
 * @param tenantId the tenant that owns it
 * @param type the kind of job
 * @param status where it stands
 * @param completion the model call, with the model as the client named it
 * @param priority its priority
 * @param mode realtime, deferred or auto
 * @param deadline when it must be done by, or {@code null}
 * @param metadata the client's labels
 * @param createdAt when it was accepted
 * @param updatedAt when its row last changed
 * @param outcome what the platform reported about it so far
 * @param webhookUrl its one-off webhook's URL, or {@code null}
 * @param mapReduce a map-reduce job's calls and plan (the document is not kept), or {@code null}
 */
public record Job(
    String id,
    String tenantId,
    JobType type,
    JobStatus status,
    CompletionSpec completion,
    Priority priority,
    Mode mode,
    Instant deadline,
    Map<String, String> metadata,
    Instant createdAt,
    Instant updatedAt,
    JobOutcome outcome,
    String webhookUrl,
    MapReduceSpec mapReduce) {

  /** A job without map-reduce parts. */
  public Job(
      String id,
      String tenantId,
      JobType type,
      JobStatus status,
      CompletionSpec completion,
      Priority priority,
      Mode mode,
      Instant deadline,
      Map<String, String> metadata,
      Instant createdAt,
      Instant updatedAt,
      JobOutcome outcome,
      String webhookUrl) {
    this(
        id,
        tenantId,
        type,
        status,
        completion,
        priority,
        mode,
        deadline,
        metadata,
        createdAt,
        updatedAt,
        outcome,
        webhookUrl,
        null);
  }

  public Job {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(tenantId, "tenantId");
    Objects.requireNonNull(status, "status");
    metadata = metadata == null ? Map.of() : metadata;
    outcome = outcome == null ? JobOutcome.NONE : outcome;
  }

  /** A newly accepted job: queued, no outcome yet. */
  public static Job accepted(String id, String tenantId, JobRequest request, Instant now) {
    return new Job(
        id,
        tenantId,
        request.type(),
        JobStatus.QUEUED,
        request.completion(),
        request.priority(),
        request.mode(),
        request.deadline(),
        request.metadata(),
        now,
        now,
        JobOutcome.NONE,
        request.webhookUrl());
  }

  /** A newly accepted map-reduce job, planned as {@code spec}: queued, no outcome yet. */
  public static Job acceptedMapReduce(
      String id, String tenantId, JobRequest request, MapReduceSpec spec, Instant now) {
    return new Job(
        id,
        tenantId,
        JobType.MAP_REDUCE,
        JobStatus.QUEUED,
        null,
        request.priority(),
        request.mode(),
        request.deadline(),
        request.metadata(),
        now,
        now,
        JobOutcome.NONE,
        request.webhookUrl(),
        spec);
  }

  /**
   * This newly accepted job answered at once with {@code earlier}'s answer from the result cache:
   * succeeded, no provider call, no tokens, no cost; the answer's provider and model stay named.
   */
  public Job answeredFromCache(Job earlier, Instant now) {
    JobOutcome answer = earlier.outcome();
    JobOutcome cached =
        new JobOutcome(
            answer.output(),
            null,
            answer.provider(),
            answer.providerModel(),
            BigDecimal.ZERO,
            null,
            0,
            now,
            now,
            null,
            null,
            null,
            null,
            answer.outputJson(),
            null,
            null,
            new CacheHit(earlier.id(), answer.costUsd()));
    return moveTo(JobStatus.SUCCEEDED, cached, now);
  }

  /** The model as the client named it (a model or an alias; a map-reduce job's map model). */
  public String model() {
    return completion != null ? completion.model() : mapReduce.map().model();
  }

  /**
   * This job in {@code next} status.
   *
   * @throws IllegalJobTransitionException when the transition table does not allow it
   */
  public Job moveTo(JobStatus next, JobOutcome newOutcome, Instant now) {
    if (!status.canMoveTo(next)) {
      throw new IllegalJobTransitionException(id, status, next);
    }
    return withOutcome(next, newOutcome, now);
  }

  /** This job with a newer outcome in the same status (progress of a running job). */
  public Job withOutcome(JobStatus sameOrNext, JobOutcome newOutcome, Instant now) {
    return new Job(
        id,
        tenantId,
        type,
        sameOrNext,
        completion,
        priority,
        mode,
        deadline,
        metadata,
        createdAt,
        now,
        newOutcome,
        webhookUrl,
        mapReduce);
  }

  /** What job-api publishes to {@code sluice.jobs.submitted} for this job. */
  public SubmittedJob toSubmitted() {
    if (type == JobType.MAP_REDUCE) {
      return SubmittedJob.mapReduce(id, tenantId, priority, mode, mapReduce, createdAt, deadline);
    }
    return SubmittedJob.completion(id, tenantId, priority, mode, completion, createdAt, deadline);
  }

  /**
   * What the platform reported about a job.
   *
   * @param output the output text of a succeeded job
   * @param usage tokens used, or {@code null} before any call
   * @param provider the provider that ran it
   * @param providerModel the provider's model name
   * @param costUsd the cost so far, or {@code null} when unknown
   * @param error why it failed
   * @param attempts provider calls made
   * @param startedAt when work started
   * @param finishedAt when it reached a terminal status
   * @param lastEventId the ID of the last event applied (duplicate detection)
   * @param placement where the deferred lane has (or last had) the job's task, or {@code null}
   * @param realtimeCostUsd what the work billed at the batch price would have cost at the realtime
   *     price, or {@code null}
   * @param progress a map-reduce job's progress and, once it ended, its skipped chunks, or {@code
   *     null}
   * @param outputJson the output parsed as JSON, for a succeeded job with a response schema
   * @param repairs repair calls made for a job with a response schema that ended, or {@code null}
   * @param providerAttempts for a job with a fallback chain that ended, the entries it tried in
   *     order (the last answered when it succeeded), or {@code null}
   * @param cacheHit where a job answered from the result cache got its answer, or {@code null}
   */
  public record JobOutcome(
      String output,
      TokenUsage usage,
      String provider,
      String providerModel,
      BigDecimal costUsd,
      ErrorInfo error,
      int attempts,
      Instant startedAt,
      Instant finishedAt,
      String lastEventId,
      Placement placement,
      BigDecimal realtimeCostUsd,
      MapReduceProgress progress,
      JsonNode outputJson,
      Integer repairs,
      List<ProviderAttempt> providerAttempts,
      CacheHit cacheHit) {
    public static final JobOutcome NONE =
        new JobOutcome(null, null, null, null, null, null, 0, null, null, null, null, null, null);

    /** An outcome of a job without a fallback chain, not answered from the cache. */
    public JobOutcome(
        String output,
        TokenUsage usage,
        String provider,
        String providerModel,
        BigDecimal costUsd,
        ErrorInfo error,
        int attempts,
        Instant startedAt,
        Instant finishedAt,
        String lastEventId,
        Placement placement,
        BigDecimal realtimeCostUsd,
        MapReduceProgress progress,
        JsonNode outputJson,
        Integer repairs) {
      this(
          output,
          usage,
          provider,
          providerModel,
          costUsd,
          error,
          attempts,
          startedAt,
          finishedAt,
          lastEventId,
          placement,
          realtimeCostUsd,
          progress,
          outputJson,
          repairs,
          null,
          null);
    }

    /** An outcome without structured output. */
    public JobOutcome(
        String output,
        TokenUsage usage,
        String provider,
        String providerModel,
        BigDecimal costUsd,
        ErrorInfo error,
        int attempts,
        Instant startedAt,
        Instant finishedAt,
        String lastEventId,
        Placement placement,
        BigDecimal realtimeCostUsd,
        MapReduceProgress progress) {
      this(
          output,
          usage,
          provider,
          providerModel,
          costUsd,
          error,
          attempts,
          startedAt,
          finishedAt,
          lastEventId,
          placement,
          realtimeCostUsd,
          progress,
          null,
          null);
    }

    /** An outcome without map-reduce progress. */
    public JobOutcome(
        String output,
        TokenUsage usage,
        String provider,
        String providerModel,
        BigDecimal costUsd,
        ErrorInfo error,
        int attempts,
        Instant startedAt,
        Instant finishedAt,
        String lastEventId,
        Placement placement,
        BigDecimal realtimeCostUsd) {
      this(
          output,
          usage,
          provider,
          providerModel,
          costUsd,
          error,
          attempts,
          startedAt,
          finishedAt,
          lastEventId,
          placement,
          realtimeCostUsd,
          null);
    }

    /** This outcome with the cumulative cost, usage and attempts of a later cost update. */
    public JobOutcome withCost(
        BigDecimal newCostUsd, TokenUsage newUsage, int newAttempts, String eventId) {
      return new JobOutcome(
          output,
          newUsage == null ? usage : newUsage,
          provider,
          providerModel,
          newCostUsd,
          error,
          Math.max(attempts, newAttempts),
          startedAt,
          finishedAt,
          eventId,
          placement,
          realtimeCostUsd,
          progress,
          outputJson,
          repairs,
          providerAttempts,
          cacheHit);
    }
  }

  /**
   * Where a job answered from the result cache got its answer.
   *
   * @param jobId the earlier job whose answer it is
   * @param savedUsd what that answer cost when it was made, now saved ({@code 0} when unknown)
   */
  public record CacheHit(String jobId, BigDecimal savedUsd) {
    public CacheHit {
      Objects.requireNonNull(jobId, "jobId");
      savedUsd = savedUsd == null ? BigDecimal.ZERO : savedUsd;
    }
  }
}
