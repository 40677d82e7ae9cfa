package io.sluice.jobapi.http;

import io.sluice.jobapi.budget.BudgetExceededException;
import io.sluice.jobapi.budget.BudgetStatus;
import java.time.Instant;
import java.util.List;

/**
 * The 429 body of a submission over the tenant's token budget: {@code error} in the usual shape
 * ({@code budget_exceeded}) and the {@code budget} it did not fit: which period, its limit, what is
 * used and reserved, what the request needed and when the period resets (also the {@code
 * Retry-After} header, in seconds).
 */
public record BudgetRefusal(ApiError.Detail error, Budget budget) {

  /**
   * @param period {@code daily} or {@code monthly}
   * @param limitTokens the budget
   * @param usedTokens actual tokens of the period's ended jobs
   * @param reservedTokens estimates of the period's jobs still running
   * @param requestedTokens the refused request's estimate
   * @param resetsAt when the next period starts
   */
  public record Budget(
      String period,
      long limitTokens,
      long usedTokens,
      long reservedTokens,
      long requestedTokens,
      Instant resetsAt) {}

  public static BudgetRefusal of(BudgetExceededException e) {
    BudgetStatus status = e.status();
    return new BudgetRefusal(
        new ApiError.Detail("budget_exceeded", e.getMessage(), List.of(), null),
        new Budget(
            status.period().wireName(),
            status.limitTokens(),
            status.usedTokens(),
            status.reservedTokens(),
            e.requestedTokens(),
            status.resetsAt()));
  }
}
