package io.sluice.jobapi.job;

import java.util.Objects;

/**
 * What the intake consults before it stores a job, besides the request itself (issue 16's control
 * layer): the estimate that a job's {@code max_cost_usd} and its tenant's token budget are checked
 * against, the budget the estimate is reserved in, the result cache that may answer the job at
 * once, and who is told when it does.
 *
 * @param estimator a job's tokens and cost before any call
 * @param budget the tenants' token budgets ({@link JobBudget#NONE}: none)
 * @param cache the result cache ({@link AnswerCache#NONE}: none)
 * @param listeners told of a job answered from the cache, as of a result that came in
 */
public record IntakeControls(
    JobEstimator estimator, JobBudget budget, AnswerCache cache, JobListeners listeners) {
  public IntakeControls {
    Objects.requireNonNull(estimator, "estimator");
    Objects.requireNonNull(budget, "budget");
    Objects.requireNonNull(cache, "cache");
    Objects.requireNonNull(listeners, "listeners");
  }
}
