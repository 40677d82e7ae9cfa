package io.sluice.jobapi.budget;

import java.time.Instant;
import java.time.LocalDate;

/**
 * Where a tenant stands in one period of its token budget.
 *
 * @param period daily or monthly
 * @param limitTokens the budget, or {@code null} when this period has none (usage still counted)
 * @param usedTokens actual tokens of the period's jobs that ended
 * @param reservedTokens estimates of the period's jobs that have not ended yet
 * @param starts the period's first UTC day
 * @param resetsAt when the next period starts
 */
public record BudgetStatus(
    BudgetPeriod period,
    Long limitTokens,
    long usedTokens,
    long reservedTokens,
    LocalDate starts,
    Instant resetsAt) {

  /** Used plus reserved: what counts against the limit. */
  public long countedTokens() {
    return usedTokens + reservedTokens;
  }
}
