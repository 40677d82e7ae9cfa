package io.sluice.bench.deferred;

import io.sluice.providers.pricing.PriceTable;
import io.sluice.schemas.job.TokenUsage;
import java.math.BigDecimal;
import java.math.MathContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The figures of one nightly run, computed from the jobs' end states and the simulator's batch
 * queues.
 *
 * @param jobs jobs submitted
 * @param succeeded jobs that succeeded
 * @param failed jobs that failed
 * @param expired jobs that expired
 * @param unfinished jobs not terminal when the run gave up waiting
 * @param wrongAnswers succeeded jobs whose output is not the simulator's answer to their prompt
 * @param realtimeFallbacks jobs whose last placement was {@code realtime_fallback}
 * @param errorsByCode failed and expired jobs by error code
 * @param costUsd the billed cost of all jobs
 * @param realtimeCostUsd the same jobs at the realtime price
 * @param realtimeCostsComputed jobs whose realtime price job-api did not report, computed here from
 *     their usage and the {@link PriceTable} (0 when job-api reported every one)
 * @param costRatio {@code costUsd / realtimeCostUsd}
 * @param costGoalMet whether the ratio is at most {@link #COST_GOAL}
 * @param wallSeconds from the first submission to the last job's {@code finished_at}
 * @param submitSeconds from the first submission to the last one accepted
 * @param batchesCreated provider batches created, all APIs
 * @param linesCreated lines in them
 * @param itemsResubmitted lines beyond one per job: items sent again after a failed line, a refused
 *     or failed batch
 * @param queues each API's batch queue
 */
public record DeferredFigures(
    long jobs,
    long succeeded,
    long failed,
    long expired,
    long unfinished,
    long wrongAnswers,
    long realtimeFallbacks,
    Map<String, Long> errorsByCode,
    BigDecimal costUsd,
    BigDecimal realtimeCostUsd,
    long realtimeCostsComputed,
    double costRatio,
    boolean costGoalMet,
    double wallSeconds,
    double submitSeconds,
    long batchesCreated,
    long linesCreated,
    long itemsResubmitted,
    List<BatchQueueFigures> queues) {

  /** The goal: the deferred lane costs at most 0.51 of the realtime price. */
  public static final double COST_GOAL = 0.51;

  /**
   * Computes the figures.
   *
   * @param outcomes every submitted job's end state
   * @param submitStart when the first submission was sent
   * @param submitEnd when the last submission was accepted
   * @param queues the batch queues from the simulator's meter
   * @param prices for a realtime price job-api did not report
   */
  public static DeferredFigures of(
      List<JobOutcome> outcomes,
      Instant submitStart,
      Instant submitEnd,
      List<BatchQueueFigures> queues,
      PriceTable prices) {
    BigDecimal cost = BigDecimal.ZERO;
    BigDecimal realtime = BigDecimal.ZERO;
    long computed = 0;
    Instant last = submitEnd;
    for (JobOutcome job : outcomes) {
      cost = cost.add(Objects.requireNonNullElse(job.costUsd(), BigDecimal.ZERO));
      BigDecimal jobRealtime = job.realtimeCostUsd();
      if (jobRealtime == null && job.providerModel() != null && job.costUsd() != null) {
        jobRealtime = realtimePrice(job, prices);
        computed++;
      }
      realtime = realtime.add(Objects.requireNonNullElse(jobRealtime, BigDecimal.ZERO));
      if (job.finishedAt() != null && job.finishedAt().isAfter(last)) {
        last = job.finishedAt();
      }
    }
    long lines = queues.stream().mapToLong(BatchQueueFigures::linesCreated).sum();
    double ratio =
        realtime.signum() == 0
            ? Double.NaN
            : cost.divide(realtime, MathContext.DECIMAL64).doubleValue();
    return new DeferredFigures(
        outcomes.size(),
        count(outcomes, "succeeded"),
        count(outcomes, "failed"),
        count(outcomes, "expired"),
        outcomes.stream().filter(job -> !job.terminal()).count(),
        outcomes.stream()
            .filter(job -> "succeeded".equals(job.status()) && !job.answerMatches())
            .count(),
        outcomes.stream().filter(job -> "realtime_fallback".equals(job.placementStage())).count(),
        errorsByCode(outcomes),
        cost,
        realtime,
        computed,
        ratio,
        ratio <= COST_GOAL,
        seconds(submitStart, last),
        seconds(submitStart, submitEnd),
        queues.stream().mapToLong(BatchQueueFigures::batchesCreated).sum(),
        lines,
        Math.max(0, lines - outcomes.size()),
        queues);
  }

  public DeferredFigures {
    errorsByCode = Collections.unmodifiableMap(new TreeMap<>(errorsByCode));
    queues = List.copyOf(queues);
  }

  /**
   * The realtime price of a job's usage. A job that fell back to realtime was billed at the
   * realtime price already, so its cost is its realtime price.
   */
  private static BigDecimal realtimePrice(JobOutcome job, PriceTable prices) {
    if ("realtime_fallback".equals(job.placementStage())) {
      return job.costUsd();
    }
    return prices.realtimeCost(
        job.providerModel(), new TokenUsage(job.inputTokens(), job.outputTokens()));
  }

  private static Map<String, Long> errorsByCode(List<JobOutcome> outcomes) {
    Map<String, Long> codes = new TreeMap<>();
    for (JobOutcome job : outcomes) {
      if ("failed".equals(job.status()) || "expired".equals(job.status())) {
        codes.merge(Objects.requireNonNullElse(job.errorCode(), "(none)"), 1L, Long::sum);
      }
    }
    return codes;
  }

  private static long count(List<JobOutcome> outcomes, String status) {
    return outcomes.stream().filter(job -> status.equals(job.status())).count();
  }

  private static double seconds(Instant from, Instant to) {
    return Duration.between(from, to).toMillis() / 1000.0;
  }
}
