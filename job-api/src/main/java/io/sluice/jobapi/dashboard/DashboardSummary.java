package io.sluice.jobapi.dashboard;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * What {@code GET /v1/dashboard} answers: one snapshot of the figures the dashboard page draws,
 * each from its source (the jobs, batches and webhook tables, the lanes' share-group lag in Kafka,
 * the rate limiters' shared state). Never a prompt, an output or metadata.
 *
 * @param generatedAt when it was read
 * @param scope {@code tenant} (the key's own tenant) or {@code all_tenants} (an operator key)
 * @param tenantId the key's tenant
 * @param jobs job counts
 * @param recentFailures the newest failed or expired jobs with their error
 * @param batches the newest bulk batches with their progress
 * @param webhooks webhook endpoints with their recent deliveries
 * @param lanes the realtime lanes' backlog (operator keys only)
 * @param rateLimits the rate limiters' use (operator keys only)
 * @param deferredLane the deferred lane's provider batches (not reachable from job-api)
 */
public record DashboardSummary(
    Instant generatedAt,
    String scope,
    String tenantId,
    JobCounts jobs,
    List<Failure> recentFailures,
    List<BatchProgress> batches,
    List<EndpointHealth> webhooks,
    Panel<LaneBacklogView> lanes,
    Panel<LimitUse> rateLimits,
    Panel<Object> deferredLane) {

  /** The scope of an operator key. */
  public static final String ALL_TENANTS = "all_tenants";

  /** The scope of an ordinary key. */
  public static final String TENANT = "tenant";

  /**
   * Job counts.
   *
   * @param active jobs queued or running now, by status
   * @param lastHour jobs submitted in the last hour ({@code submitted}) and finished in it, by
   *     terminal status
   * @param perMinute the last hour minute by minute, oldest first (minutes with nothing included)
   */
  public record JobCounts(
      Map<String, Long> active, Map<String, Long> lastHour, List<Minute> perMinute) {}

  /**
   * One minute.
   *
   * @param at the minute's start
   * @param submitted jobs created in it
   * @param finished jobs that ended in it, by terminal status
   */
  public record Minute(Instant at, long submitted, Map<String, Long> finished) {}

  /**
   * A failed or expired job: its error code and message, never its request or output.
   *
   * @param jobId the job
   * @param tenant the tenant's name
   * @param model the model asked for
   * @param status {@code failed} or {@code expired}
   * @param errorCode the error's code
   * @param errorMessage the error's message, at most 300 characters
   * @param finishedAt when it ended
   */
  public record Failure(
      String jobId,
      String tenant,
      String model,
      String status,
      String errorCode,
      String errorMessage,
      Instant finishedAt) {}

  /**
   * A bulk batch.
   *
   * @param id the batch
   * @param tenant the tenant's name
   * @param status its status
   * @param total its lines
   * @param lines its lines' jobs by status
   * @param createdAt when it was created
   */
  public record BatchProgress(
      String id,
      String tenant,
      String status,
      long total,
      Map<String, Long> lines,
      Instant createdAt) {}

  /**
   * A webhook endpoint's health.
   *
   * @param id the endpoint
   * @param tenant the tenant's name
   * @param destination its URL's scheme, host and port (not its path, which may carry a token)
   * @param enabled whether deliveries are sent
   * @param disabledReason why not
   * @param failingSince the first failure since the last success
   * @param lastHour its deliveries created in the last hour, by status
   */
  public record EndpointHealth(
      String id,
      String tenant,
      String destination,
      boolean enabled,
      String disabledReason,
      Instant failingSince,
      Map<String, Long> lastHour) {}

  /**
   * A realtime lane's backlog.
   *
   * @param provider the provider
   * @param lane the lane
   * @param waiting tasks not yet acknowledged by the provider's workers
   * @param oldestAgeSeconds how long the oldest of them has waited (0 when none waits)
   */
  public record LaneBacklogView(
      String provider, String lane, long waiting, double oldestAgeSeconds) {}

  /**
   * One rate-limit bucket's use.
   *
   * @param provider the provider
   * @param account the provider account
   * @param model the provider's model
   * @param meter what the bucket counts ({@code requests}, {@code tokens}, ...)
   * @param periodSeconds its period
   * @param usedPercent the share of its per-period limit in use now, in percent (above 100: debt)
   * @param inFlight calls admitted and not settled yet on this key
   * @param pausedUntil no admission before this (a provider's retry hint), when in the future
   */
  public record LimitUse(
      String provider,
      String account,
      String model,
      String meter,
      double periodSeconds,
      double usedPercent,
      int inFlight,
      Instant pausedUntil) {}

  /**
   * A platform figure that may not be readable: its rows, or why not.
   *
   * @param available whether {@code data} was read
   * @param reason why it was not
   * @param data the rows
   */
  public record Panel<T>(boolean available, String reason, List<T> data) {
    public static <T> Panel<T> of(List<T> data) {
      return new Panel<>(true, null, data);
    }

    public static <T> Panel<T> unavailable(String reason) {
      return new Panel<>(false, reason, List.of());
    }
  }
}
