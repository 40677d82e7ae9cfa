package io.sluice.jobapi.budget.internal;

import io.sluice.jobapi.budget.BudgetPeriod;
import io.sluice.jobapi.job.Job;
import io.sluice.jobapi.job.JobUpdatedListener;
import io.sluice.jobapi.store.Clocks;
import io.sluice.jobapi.store.DatabaseException;
import io.sluice.jobapi.store.Transaction;
import io.sluice.schemas.job.TokenUsage;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Optional;

/**
 * Replaces a budgeted job's reservation with its actual tokens when it ends, in the projection's
 * transaction; a later change of its usage (a late cost) adds the difference. Both count in the
 * periods of the day the job was submitted.
 */
public final class BudgetReconciler implements JobUpdatedListener {
  private final BudgetRepository repository;
  private final Clock clock;

  public BudgetReconciler(Clock clock) {
    this.repository = new BudgetRepository();
    this.clock = clock;
  }

  @Override
  public void updated(Transaction tx, Job before, Job after) {
    if (!after.status().isTerminal()) {
      return;
    }
    try {
      reconcile(tx.connection(), before, after);
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  private void reconcile(Connection c, Job before, Job after) throws SQLException {
    Optional<BudgetRepository.Reservation> found = repository.findReservation(c, after.id());
    if (found.isEmpty()) {
      return;
    }
    BudgetRepository.Reservation reservation = found.get();
    long actual = tokens(after);
    if (!reservation.reconciled()) {
      settle(c, reservation, reservation.tokens(), actual);
      repository.markReconciled(c, after.id(), Clocks.now(clock));
      return;
    }
    long more = actual - tokens(before);
    if (more != 0) {
      settle(c, reservation, 0, more);
    }
  }

  private void settle(Connection c, BudgetRepository.Reservation r, long release, long used)
      throws SQLException {
    for (BudgetPeriod period : BudgetPeriod.values()) {
      repository.settle(c, r.tenantId(), period, r.day(), release, used);
    }
  }

  private static long tokens(Job job) {
    TokenUsage usage = job.outcome().usage();
    return usage == null ? 0 : usage.inputTokens() + usage.outputTokens();
  }
}
