package io.sluice.jobapi.budget;

import io.sluice.jobapi.budget.internal.BudgetReconciler;
import io.sluice.jobapi.budget.internal.JdbcBudgets;
import io.sluice.jobapi.job.JobBudget;
import io.sluice.jobapi.job.JobUpdatedListener;
import io.sluice.jobapi.store.Database;
import java.time.Clock;
import java.time.Duration;

/**
 * Tenant token budgets (docs/budgets.md): reserved at submission from the job's estimate, replaced
 * by the actual tokens when the job ends.
 */
public final class Budgets {
  private Budgets() {}

  /**
   * The parts of one job-api instance: the intakes' reservation, the projection's reconciliation,
   * and the operators' admin.
   */
  public record Parts(JobBudget intake, JobUpdatedListener reconciler, BudgetAdmin admin) {}

  /**
   * @param cacheTtl how long an instance trusts whether a tenant has a budget
   */
  public static Parts on(Database database, Clock clock, Duration cacheTtl) {
    JdbcBudgets budgets = new JdbcBudgets(database, clock, cacheTtl);
    return new Parts(budgets, new BudgetReconciler(clock), budgets);
  }

  /** The admin alone, for operators without an API instance. */
  public static BudgetAdmin admin(Database database, Clock clock) {
    return new JdbcBudgets(database, clock, Duration.ZERO);
  }
}
