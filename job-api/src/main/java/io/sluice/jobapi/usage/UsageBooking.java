package io.sluice.jobapi.usage;

import io.sluice.jobapi.job.Job;
import io.sluice.jobapi.job.Job.JobOutcome;
import io.sluice.schemas.job.TokenUsage;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Optional;

/**
 * What one change of a job adds to the cost ledger: the difference between the job before and after
 * the change, booked to the provider and model that answered, on a UTC day. Pure: the ledger's one
 * rule for what is counted where.
 *
 * <ul>
 *   <li>Money and tokens are the differences of the job's totals, so a job's first result, a late
 *       cost (a duplicate call of a deferred task that fell back to realtime) and a map-reduce
 *       job's running cost all add up to the job's final totals, never more.
 *   <li>{@code realtimeCostUsd} is what the same calls would have cost at the realtime price: the
 *       job's {@code realtime_cost_usd} where it has one (work done at the batch price), else its
 *       cost. Their difference is what the deferred lane saved.
 *   <li>A job is counted once, when it first ends, with the provider and model it ended with
 *       ({@code unknown} when it ended without a provider call).
 *   <li>A job answered from the result cache is booked at zero cost and noted as cached, with what
 *       its answer had cost when it was made ({@code cacheSavedUsd}).
 *   <li>The day is the day the job ended; for a job still running (a map-reduce job's cost so far),
 *       the day the change was booked.
 * </ul>
 *
 * @param tenantId whose jobs
 * @param day the UTC day
 * @param provider the provider that answered, or {@code unknown}
 * @param model the provider's model that answered, or {@code unknown}
 * @param jobs jobs ended (0 or 1)
 * @param inputTokens input tokens added
 * @param outputTokens output tokens added
 * @param costUsd cost added
 * @param realtimeCostUsd cost at the realtime price added
 * @param cachedJobs jobs ended with an answer from the result cache (0 or 1)
 * @param cacheSavedUsd what those answers had cost when they were made
 */
public record UsageBooking(
    String tenantId,
    LocalDate day,
    String provider,
    String model,
    int jobs,
    long inputTokens,
    long outputTokens,
    BigDecimal costUsd,
    BigDecimal realtimeCostUsd,
    int cachedJobs,
    BigDecimal cacheSavedUsd) {
  public static final String UNKNOWN = "unknown";

  /** A booking of no cached answer. */
  public UsageBooking(
      String tenantId,
      LocalDate day,
      String provider,
      String model,
      int jobs,
      long inputTokens,
      long outputTokens,
      BigDecimal costUsd,
      BigDecimal realtimeCostUsd) {
    this(
        tenantId,
        day,
        provider,
        model,
        jobs,
        inputTokens,
        outputTokens,
        costUsd,
        realtimeCostUsd,
        0,
        BigDecimal.ZERO);
  }

  /** What the change from {@code before} to {@code after} adds, or empty when it adds nothing. */
  public static Optional<UsageBooking> between(Job before, Job after, Instant bookedAt) {
    boolean ended = !before.status().isTerminal() && after.status().isTerminal();
    JobOutcome was = before.outcome();
    JobOutcome is = after.outcome();
    TokenUsage tokensBefore = tokens(was);
    TokenUsage tokensAfter = tokens(is);
    long input = tokensAfter.inputTokens() - tokensBefore.inputTokens();
    long output = tokensAfter.outputTokens() - tokensBefore.outputTokens();
    BigDecimal cost = cost(is).subtract(cost(was));
    BigDecimal realtime = realtimeCost(is).subtract(realtimeCost(was));
    if (!ended && input == 0 && output == 0 && cost.signum() == 0 && realtime.signum() == 0) {
      return Optional.empty();
    }
    boolean cachedAnswer = ended && is.cacheHit() != null;
    Instant when =
        after.status().isTerminal() && is.finishedAt() != null ? is.finishedAt() : bookedAt;
    return Optional.of(
        new UsageBooking(
            after.tenantId(),
            LocalDate.ofInstant(when, ZoneOffset.UTC),
            orUnknown(is.provider()),
            orUnknown(is.providerModel()),
            ended ? 1 : 0,
            input,
            output,
            cost,
            realtime,
            cachedAnswer ? 1 : 0,
            cachedAnswer ? is.cacheHit().savedUsd() : BigDecimal.ZERO));
  }

  private static TokenUsage tokens(JobOutcome outcome) {
    return outcome.usage() == null ? TokenUsage.NONE : outcome.usage();
  }

  private static BigDecimal cost(JobOutcome outcome) {
    return outcome.costUsd() == null ? BigDecimal.ZERO : outcome.costUsd();
  }

  private static BigDecimal realtimeCost(JobOutcome outcome) {
    return outcome.realtimeCostUsd() == null ? cost(outcome) : outcome.realtimeCostUsd();
  }

  private static String orUnknown(String name) {
    return name == null || name.isBlank() ? UNKNOWN : name;
  }
}
