package io.sluice.jobapi.job;

import io.sluice.jobapi.store.Transaction;
import java.time.Instant;
import java.util.List;

/**
 * The tenant's token budget as the intakes see it: whether a tenant has one, and the reservation of
 * new jobs' estimated tokens in the transaction that stores them (refused, with nothing stored,
 * when they do not fit: {@code io.sluice.jobapi.budget.BudgetExceededException}).
 */
public interface JobBudget {
  /** No tenant has a budget. */
  JobBudget NONE =
      new JobBudget() {
        @Override
        public boolean appliesTo(String tenantId) {
          return false;
        }

        @Override
        public void reserve(Transaction tx, String tenantId, List<Hold> holds, Instant now) {}
      };

  /** One job's reservation: its estimated tokens ({@link JobEstimator.Estimate#tokens()}). */
  record Hold(String jobId, long tokens) {}

  /**
   * Whether the tenant's submissions must be reserved (it has a budget). A budget set or cleared
   * takes effect within the instance's key cache time ({@code tenants.keyCacheTtl}).
   */
  boolean appliesTo(String tenantId);

  /**
   * Reserves the jobs' tokens together, in {@code tx}, or refuses them all.
   *
   * @throws io.sluice.jobapi.budget.BudgetExceededException when they do not fit the daily or the
   *     monthly budget
   */
  void reserve(Transaction tx, String tenantId, List<Hold> holds, Instant now);
}
