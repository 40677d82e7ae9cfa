package io.sluice.jobapi.budget;

import java.util.List;
import java.util.Optional;

/**
 * Setting and reading tenants' token budgets (used by operators through {@code sluice admin tenants
 * budget|show}, not over HTTP). A change takes effect on every API instance within its key cache
 * time.
 */
public interface BudgetAdmin {

  /** The tenant's budget; empty when it has none. */
  Optional<TokenBudget> budgetOf(String tenantId);

  /**
   * Sets the tenant's budget; {@link TokenBudget#NONE} removes it (usage counted so far stays).
   *
   * @throws IllegalArgumentException when there is no such tenant
   */
  void setBudget(String tenantId, TokenBudget budget);

  /** The current UTC day's and month's standing of the tenant (daily first), limits or not. */
  List<BudgetStatus> statusOf(String tenantId);
}
