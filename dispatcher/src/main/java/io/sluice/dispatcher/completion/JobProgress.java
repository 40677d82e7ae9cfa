package io.sluice.dispatcher.completion;

import io.sluice.dispatcher.fallback.FallbackPlan;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.task.TaskResult;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Set;

/**
 * What the dispatcher knows about a job: whether it runs, where the deferred lane has its task,
 * which of its tasks have finished, its deadline, its terminal status once it has one, and what its
 * terminal results cost together. A completion job has one task; a map-reduce job will have many.
 *
 * @param started whether the job counts as running (a {@code running} or placed event said so)
 * @param finishedTaskIds tasks whose result ended the job
 * @param terminalStatus the job's terminal status, or {@code null} while it is still running
 * @param finishedAt when the dispatcher recorded the terminal status ({@code null} while running,
 *     and in entries written before this field existed)
 * @param deadline when the job must be done by, once the dispatcher registered it; otherwise {@code
 *     null}
 * @param placement where the deferred lane last placed the job's task, or {@code null}
 * @param placements the placements already published ({@link #placementKey}), so a replay of one is
 *     dropped
 * @param results the terminal results recorded ({@link #resultKey}), so a redelivery of one is not
 *     counted twice
 * @param costUsd the cost of all recorded terminal results, or {@code null} when none had a cost
 * @param usage the tokens of all recorded terminal results
 * @param attempts the provider calls of all recorded terminal results
 * @param fallback a completion job's fallback chain and where its task is on it, or {@code null}
 *     for a job without one
 */
public record JobProgress(
    boolean started,
    Set<String> finishedTaskIds,
    JobStatus terminalStatus,
    Instant finishedAt,
    Instant deadline,
    Placement placement,
    Set<String> placements,
    Set<String> results,
    BigDecimal costUsd,
    TokenUsage usage,
    int attempts,
    FallbackPlan fallback) {
  private static final String FALLBACK_KEY_PREFIX =
      stageName(Placement.Stage.REALTIME_FALLBACK) + ".";

  public static final JobProgress NONE =
      new JobProgress(
          false,
          Set.of(),
          null,
          null,
          null,
          null,
          Set.of(),
          Set.of(),
          null,
          TokenUsage.NONE,
          0,
          null);

  /** Entries written before deadlines, placements and costs were recorded lack them. */
  public JobProgress {
    finishedTaskIds = finishedTaskIds == null ? Set.of() : Set.copyOf(finishedTaskIds);
    placements = placements == null ? Set.of() : Set.copyOf(placements);
    results = results == null ? Set.of() : Set.copyOf(results);
    usage = usage == null ? TokenUsage.NONE : usage;
  }

  /** Progress with only the fields entries had before deadlines, placements and costs. */
  public JobProgress(
      boolean started, Set<String> finishedTaskIds, JobStatus terminalStatus, Instant finishedAt) {
    this(
        started,
        finishedTaskIds,
        terminalStatus,
        finishedAt,
        null,
        null,
        Set.of(),
        Set.of(),
        null,
        TokenUsage.NONE,
        0,
        null);
  }

  /** Progress of a job without a fallback chain. */
  public JobProgress(
      boolean started,
      Set<String> finishedTaskIds,
      JobStatus terminalStatus,
      Instant finishedAt,
      Instant deadline,
      Placement placement,
      Set<String> placements,
      Set<String> results,
      BigDecimal costUsd,
      TokenUsage usage,
      int attempts) {
    this(
        started,
        finishedTaskIds,
        terminalStatus,
        finishedAt,
        deadline,
        placement,
        placements,
        results,
        costUsd,
        usage,
        attempts,
        null);
  }

  /** The identity of a placement: one per (stage, attempt, provider batch). */
  public static String placementKey(Placement placement) {
    String key = stageName(placement.stage()) + "." + placement.attempt();
    return placement.providerBatchId() == null ? key : key + "." + placement.providerBatchId();
  }

  /**
   * The identity of a terminal result: its task, outcome, end, attempts, provider batch and
   * provider. A redelivery or replay of a result has the same; a second call for the task (a
   * realtime fallback next to its batch line, a call repeated after a worker crash) ends at another
   * time.
   */
  public static String resultKey(TaskResult result) {
    return legacyResultKey(result) + "|" + result.provider();
  }

  /**
   * The identity entries had before fallback chains (without the provider, which tells apart the
   * results of one task on two chain entries): still recognised, so that a result recorded before
   * is not counted again.
   */
  static String legacyResultKey(TaskResult result) {
    Placement where = result.placement();
    return String.join(
        "|",
        result.taskId(),
        result.outcome().name(),
        String.valueOf(result.finishedAt()),
        String.valueOf(result.attempts()),
        where == null ? "" : where.stage().name(),
        where == null || where.providerBatchId() == null ? "" : where.providerBatchId());
  }

  public boolean hasFinished(String taskId) {
    return finishedTaskIds.contains(taskId);
  }

  public boolean isTerminal() {
    return terminalStatus != null;
  }

  /** Whether this placement was already published. */
  public boolean hasPlacement(Placement where) {
    return placements.contains(placementKey(where));
  }

  /** Whether the job's task fell back from the deferred lane to a realtime lane. */
  public boolean fellBack() {
    return placements.stream().anyMatch(key -> key.startsWith(FALLBACK_KEY_PREFIX));
  }

  /**
   * Whether this entry may be forgotten: the job ended at least {@code retention} before {@code
   * now}, or {@code lateResultWindow} if that is longer and its task fell back to realtime (its
   * provider batch line may still come back, and its cost must be recorded). A running job is never
   * forgotten; a terminal entry without its end time (written before end times were recorded) is.
   */
  public boolean isExpired(Instant now, Duration retention, Duration lateResultWindow) {
    if (!isTerminal()) {
      return false;
    }
    Duration keep =
        fellBack() && lateResultWindow.compareTo(retention) > 0 ? lateResultWindow : retention;
    return finishedAt == null || !finishedAt.plus(keep).isAfter(now);
  }

  /**
   * As {@link #isExpired(Instant, Duration, Duration)} without a longer window for late results.
   */
  public boolean isExpired(Instant now, Duration retention) {
    return isExpired(now, retention, retention);
  }

  /** This job with its deadline registered. */
  public JobProgress withDeadline(Instant when) {
    return new JobProgress(
        started,
        finishedTaskIds,
        terminalStatus,
        finishedAt,
        when,
        placement,
        placements,
        results,
        costUsd,
        usage,
        attempts,
        fallback);
  }

  /** This job with its fallback chain at {@code plan}. */
  public JobProgress withFallback(FallbackPlan plan) {
    return new JobProgress(
        started,
        finishedTaskIds,
        terminalStatus,
        finishedAt,
        deadline,
        placement,
        placements,
        results,
        costUsd,
        usage,
        attempts,
        plan);
  }

  JobProgress withStarted() {
    return new JobProgress(
        true,
        finishedTaskIds,
        terminalStatus,
        finishedAt,
        deadline,
        placement,
        placements,
        results,
        costUsd,
        usage,
        attempts,
        fallback);
  }

  JobProgress withPlacement(Placement where) {
    Set<String> published = new LinkedHashSet<>(placements);
    published.add(placementKey(where));
    return new JobProgress(
        started,
        finishedTaskIds,
        terminalStatus,
        finishedAt,
        deadline,
        where,
        published,
        results,
        costUsd,
        usage,
        attempts,
        fallback);
  }

  /** The job ended at {@code now} with {@code status}, by one of its tasks or by its deadline. */
  public JobProgress withEnd(JobStatus status, Instant now) {
    return new JobProgress(
        started,
        finishedTaskIds,
        status,
        now,
        deadline,
        placement,
        placements,
        results,
        costUsd,
        usage,
        attempts,
        fallback);
  }

  JobProgress withFinished(String taskId, JobStatus status, Instant now) {
    Set<String> finished = new LinkedHashSet<>(finishedTaskIds);
    finished.add(taskId);
    return new JobProgress(
        started,
        finished,
        status,
        status == null ? null : now,
        deadline,
        placement,
        placements,
        results,
        costUsd,
        usage,
        attempts,
        fallback);
  }

  /** This progress with the terminal result {@code result} counted in its cost, usage, attempts. */
  JobProgress withResult(TaskResult result) {
    Set<String> recorded = new LinkedHashSet<>(results);
    recorded.add(resultKey(result));
    return new JobProgress(
        started,
        finishedTaskIds,
        terminalStatus,
        finishedAt,
        deadline,
        placement,
        placements,
        recorded,
        sum(costUsd, result.costUsd()),
        usage.plus(result.usage()),
        attempts + result.attempts(),
        fallback);
  }

  /** Whether this terminal result was already counted. */
  boolean hasResult(TaskResult result) {
    return results.contains(resultKey(result)) || results.contains(legacyResultKey(result));
  }

  private static String stageName(Placement.Stage stage) {
    return stage.name().toLowerCase(Locale.ROOT);
  }

  private static BigDecimal sum(BigDecimal a, BigDecimal b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : a.add(b);
  }
}
