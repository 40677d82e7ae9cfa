package io.sluice.jobapi.budget.internal;

import io.sluice.jobapi.budget.BudgetPeriod;
import io.sluice.jobapi.budget.TokenBudget;
import io.sluice.jobapi.job.JobBudget;
import java.sql.Connection;
import java.sql.Date;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;

/**
 * All SQL on {@code tenant_token_budgets}, {@code tenant_token_usage} and {@code
 * budget_reservations}.
 */
final class BudgetRepository {
  private static final String FIND_BUDGET =
      "SELECT daily_tokens, monthly_tokens FROM tenant_token_budgets WHERE tenant_id = ?";
  private static final String SET_BUDGET =
      "INSERT INTO tenant_token_budgets (tenant_id, daily_tokens, monthly_tokens, updated_at)"
          + " SELECT id, ?, ?, ? FROM tenants WHERE id = ?"
          + " ON CONFLICT (tenant_id) DO UPDATE SET daily_tokens = EXCLUDED.daily_tokens,"
          + " monthly_tokens = EXCLUDED.monthly_tokens, updated_at = EXCLUDED.updated_at";
  private static final String DELETE_BUDGET =
      "DELETE FROM tenant_token_budgets WHERE tenant_id = ?";
  private static final String TENANT_EXISTS = "SELECT 1 FROM tenants WHERE id = ?";
  private static final String ENSURE_PERIODS =
      "INSERT INTO tenant_token_usage (tenant_id, period, starts) VALUES (?, 'day', ?),"
          + " (?, 'month', ?) ON CONFLICT DO NOTHING";
  // The row lock of this UPDATE serializes reservations of a tenant's period across instances; the
  // condition is evaluated again on the locked row, so two reservations never both take the rest.
  private static final String RESERVE =
      "UPDATE tenant_token_usage SET reserved_tokens = reserved_tokens + ?"
          + " WHERE tenant_id = ? AND period = ? AND starts = ?"
          + " AND (?::bigint IS NULL OR used_tokens + reserved_tokens + ? <= ?::bigint)";
  private static final String SETTLE =
      "UPDATE tenant_token_usage SET reserved_tokens = reserved_tokens - ?,"
          + " used_tokens = used_tokens + ? WHERE tenant_id = ? AND period = ? AND starts = ?";
  private static final String COUNTS =
      "SELECT used_tokens, reserved_tokens FROM tenant_token_usage"
          + " WHERE tenant_id = ? AND period = ? AND starts = ?";
  private static final String FIND_RESERVATION =
      "SELECT tenant_id, day, tokens, reconciled_at FROM budget_reservations WHERE job_id = ?"
          + " FOR UPDATE";
  private static final String RECONCILED =
      "UPDATE budget_reservations SET reconciled_at = ? WHERE job_id = ?";

  /** Used and reserved tokens of one period. */
  record Counts(long used, long reserved) {
    static final Counts ZERO = new Counts(0, 0);
  }

  /** A job's reservation, and whether its actual replaced it already. */
  record Reservation(String tenantId, LocalDate day, long tokens, boolean reconciled) {}

  Optional<TokenBudget> findBudget(Connection c, String tenantId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(FIND_BUDGET)) {
      s.setString(1, tenantId);
      try (ResultSet row = s.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        return Optional.of(new TokenBudget(longOrNull(row, 1), longOrNull(row, 2)));
      }
    }
  }

  /** Sets or removes the budget; false when there is no such tenant. */
  boolean setBudget(Connection c, String tenantId, TokenBudget budget, Instant now)
      throws SQLException {
    if (budget.isNone()) {
      try (PreparedStatement s = c.prepareStatement(DELETE_BUDGET)) {
        s.setString(1, tenantId);
        s.executeUpdate();
      }
      return tenantExists(c, tenantId);
    }
    try (PreparedStatement s = c.prepareStatement(SET_BUDGET)) {
      setLongOrNull(s, 1, budget.dailyTokens());
      setLongOrNull(s, 2, budget.monthlyTokens());
      s.setTimestamp(3, Timestamp.from(now));
      s.setString(4, tenantId);
      return s.executeUpdate() == 1;
    }
  }

  private static boolean tenantExists(Connection c, String tenantId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(TENANT_EXISTS)) {
      s.setString(1, tenantId);
      try (ResultSet row = s.executeQuery()) {
        return row.next();
      }
    }
  }

  /** Creates the day's and the month's rows of the tenant when they do not exist yet. */
  void ensurePeriods(Connection c, String tenantId, LocalDate day) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(ENSURE_PERIODS)) {
      s.setString(1, tenantId);
      s.setDate(2, Date.valueOf(BudgetPeriod.DAILY.start(day)));
      s.setString(3, tenantId);
      s.setDate(4, Date.valueOf(BudgetPeriod.MONTHLY.start(day)));
      s.executeUpdate();
    }
  }

  /** Adds {@code tokens} to the period's reservations if they fit {@code limit}; false if not. */
  boolean reserve(
      Connection c, String tenantId, BudgetPeriod period, LocalDate day, long tokens, Long limit)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(RESERVE)) {
      s.setLong(1, tokens);
      s.setString(2, tenantId);
      s.setString(3, period.storedAs());
      s.setDate(4, Date.valueOf(period.start(day)));
      setLongOrNull(s, 5, limit);
      s.setLong(6, tokens);
      setLongOrNull(s, 7, limit);
      return s.executeUpdate() == 1;
    }
  }

  /** Takes {@code release} off the period's reservations and adds {@code used} to its usage. */
  void settle(
      Connection c, String tenantId, BudgetPeriod period, LocalDate day, long release, long used)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(SETTLE)) {
      s.setLong(1, release);
      s.setLong(2, used);
      s.setString(3, tenantId);
      s.setString(4, period.storedAs());
      s.setDate(5, Date.valueOf(period.start(day)));
      s.executeUpdate();
    }
  }

  Counts counts(Connection c, String tenantId, BudgetPeriod period, LocalDate day)
      throws SQLException {
    try (PreparedStatement s = c.prepareStatement(COUNTS)) {
      s.setString(1, tenantId);
      s.setString(2, period.storedAs());
      s.setDate(3, Date.valueOf(period.start(day)));
      try (ResultSet row = s.executeQuery()) {
        return row.next() ? new Counts(row.getLong(1), row.getLong(2)) : Counts.ZERO;
      }
    }
  }

  /** Records the jobs' reservations, in one statement per call. */
  void insertReservations(Connection c, String tenantId, LocalDate day, List<JobBudget.Hold> holds)
      throws SQLException {
    if (holds.isEmpty()) {
      return;
    }
    StringBuilder sql =
        new StringBuilder(
            "INSERT INTO budget_reservations (job_id, tenant_id, day, tokens) VALUES ");
    for (int i = 0; i < holds.size(); i++) {
      sql.append(i == 0 ? "(?, ?, ?, ?)" : ", (?, ?, ?, ?)");
    }
    try (PreparedStatement s = c.prepareStatement(sql.toString())) {
      int p = 1;
      Date date = Date.valueOf(day);
      for (JobBudget.Hold hold : holds) {
        s.setString(p++, hold.jobId());
        s.setString(p++, tenantId);
        s.setDate(p++, date);
        s.setLong(p++, hold.tokens());
      }
      s.executeUpdate();
    }
  }

  /** The job's reservation, locked for the transaction; empty when it has none. */
  Optional<Reservation> findReservation(Connection c, String jobId) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(FIND_RESERVATION)) {
      s.setString(1, jobId);
      try (ResultSet row = s.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Reservation(
                row.getString(1),
                row.getDate(2).toLocalDate(),
                row.getLong(3),
                row.getTimestamp(4) != null));
      }
    }
  }

  void markReconciled(Connection c, String jobId, Instant now) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(RECONCILED)) {
      s.setTimestamp(1, Timestamp.from(now));
      s.setString(2, jobId);
      s.executeUpdate();
    }
  }

  private static Long longOrNull(ResultSet row, int column) throws SQLException {
    long value = row.getLong(column);
    return row.wasNull() ? null : value;
  }

  private static void setLongOrNull(PreparedStatement s, int index, Long value)
      throws SQLException {
    if (value == null) {
      s.setNull(index, Types.BIGINT);
    } else {
      s.setLong(index, value);
    }
  }
}
