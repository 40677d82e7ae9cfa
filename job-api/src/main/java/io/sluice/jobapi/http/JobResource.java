package io.sluice.jobapi.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.jobapi.job.Job;
import io.sluice.jobapi.job.Job.JobOutcome;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.JobType;
import io.sluice.schemas.job.MapReduceProgress;
import io.sluice.schemas.job.Mode;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.job.Priority;
import io.sluice.schemas.job.ProviderAttempt;
import io.sluice.schemas.job.TokenUsage;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A job as the HTTP API shows it ({@code POST /v1/jobs} and {@code GET /v1/jobs/{id}}). Fields
 * without a value are left out. A deferred job shows its {@code placement} ({@code stage}, {@code
 * provider_batch_id} while in a provider batch, {@code attempt}, {@code since}) and, for work
 * billed at the batch price, {@code realtime_cost_usd}: what it would have cost at the realtime
 * price. A job that named a one-off webhook shows it ({@code webhook.url}). A map-reduce job shows
 * {@code type: "map_reduce"} and its {@code progress} (phase, chunks done / total, reduce level,
 * calls, tree depth, skipped chunks); its {@code cost_usd} is the cost so far. A job with a {@code
 * response_schema} shows, once it succeeded, its output parsed as JSON ({@code output_json}, a JSON
 * value) and, once it ended, the repair calls it took ({@code repairs}). A job with a fallback
 * chain shows, once it ended, every chain entry it tried ({@code provider_attempts}: provider,
 * model, outcome, calls, usage, cost, error); {@code provider} and {@code provider_model} name the
 * entry it ended on, the one that answered when it succeeded. A job answered from the result cache
 * shows {@code cached: true}, the job whose answer it got ({@code cached_from}) and what that
 * answer had cost ({@code cache_saved_usd}); its own {@code cost_usd} is 0.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JobResource(
    String id,
    JobStatus status,
    Instant createdAt,
    Instant updatedAt,
    String model,
    Priority priority,
    Mode mode,
    Instant deadline,
    Map<String, String> metadata,
    String output,
    JsonNode outputJson,
    Integer repairs,
    TokenUsage usage,
    String provider,
    String providerModel,
    BigDecimal costUsd,
    BigDecimal realtimeCostUsd,
    Placement placement,
    ErrorInfo error,
    Integer attempts,
    Instant startedAt,
    Instant finishedAt,
    Timing timing,
    Webhook webhook,
    JobType type,
    MapReduceProgress progress,
    List<ProviderAttempt> providerAttempts,
    Boolean cached,
    String cachedFrom,
    BigDecimal cacheSavedUsd) {

  /**
   * The job's one-off webhook.
   *
   * @param url where the job's terminal event is sent
   */
  public record Webhook(String url) {}

  /**
   * How long the job took, in milliseconds.
   *
   * @param queuedMs from acceptance to the start of work
   * @param runMs from the start of work to the end
   * @param totalMs from acceptance to the end
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Timing(Long queuedMs, Long runMs, Long totalMs) {}

  public static JobResource of(Job job) {
    JobOutcome outcome = job.outcome();
    boolean reported = outcome.lastEventId() != null;
    return new JobResource(
        job.id(),
        job.status(),
        job.createdAt(),
        job.updatedAt(),
        job.model(),
        job.priority(),
        job.mode(),
        job.deadline(),
        job.metadata(),
        outcome.output(),
        outcome.outputJson(),
        outcome.repairs(),
        outcome.usage(),
        outcome.provider(),
        outcome.providerModel(),
        plain(outcome.costUsd()),
        plain(outcome.realtimeCostUsd()),
        outcome.placement(),
        outcome.error(),
        reported ? outcome.attempts() : null,
        outcome.startedAt(),
        outcome.finishedAt(),
        reported ? timing(job.createdAt(), outcome) : null,
        job.webhookUrl() == null ? null : new Webhook(job.webhookUrl()),
        job.type() == JobType.MAP_REDUCE ? JobType.MAP_REDUCE : null,
        outcome.progress(),
        outcome.providerAttempts(),
        outcome.cacheHit() == null ? null : Boolean.TRUE,
        outcome.cacheHit() == null ? null : outcome.cacheHit().jobId(),
        outcome.cacheHit() == null ? null : plain(outcome.cacheHit().savedUsd()));
  }

  private static BigDecimal plain(BigDecimal usd) {
    return usd == null ? null : usd.stripTrailingZeros();
  }

  private static Timing timing(Instant createdAt, JobOutcome outcome) {
    Instant started = outcome.startedAt();
    Instant finished = outcome.finishedAt();
    return new Timing(
        started == null ? null : millis(createdAt, started),
        started == null || finished == null ? null : millis(started, finished),
        finished == null ? null : millis(createdAt, finished));
  }

  private static long millis(Instant from, Instant to) {
    return Math.max(0, Duration.between(from, to).toMillis());
  }
}
