package io.sluice.jobapi.usage;

import java.math.BigDecimal;
import java.time.LocalDate;

/**
 * Usage summed over one group; a dimension not grouped by is {@code null}.
 *
 * @param tenant the tenant's ID, in an operator's report grouped by tenant
 * @param jobs jobs that ended
 * @param costUsd what they cost
 * @param realtimeCostUsd what the same calls would have cost at the realtime price
 * @param cachedJobs jobs answered from the result cache (counted in {@code jobs}, at zero cost)
 * @param cacheSavedUsd what their answers had cost when they were made
 */
public record UsageRow(
    String tenant,
    LocalDate day,
    String provider,
    String model,
    long jobs,
    long inputTokens,
    long outputTokens,
    BigDecimal costUsd,
    BigDecimal realtimeCostUsd,
    long cachedJobs,
    BigDecimal cacheSavedUsd) {

  /** What the batch price saved against the realtime price. */
  public BigDecimal savedUsd() {
    return realtimeCostUsd.subtract(costUsd);
  }

  /** This row and {@code other} summed, without dimensions. */
  public UsageRow plus(UsageRow other) {
    return new UsageRow(
        null,
        null,
        null,
        null,
        jobs + other.jobs,
        inputTokens + other.inputTokens,
        outputTokens + other.outputTokens,
        costUsd.add(other.costUsd),
        realtimeCostUsd.add(other.realtimeCostUsd),
        cachedJobs + other.cachedJobs,
        cacheSavedUsd.add(other.cacheSavedUsd));
  }

  /** Nothing: the sum of no rows. */
  public static final UsageRow ZERO =
      new UsageRow(
          null, null, null, null, 0, 0, 0, BigDecimal.ZERO, BigDecimal.ZERO, 0, BigDecimal.ZERO);
}
