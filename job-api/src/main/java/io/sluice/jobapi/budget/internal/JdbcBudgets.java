package io.sluice.jobapi.budget.internal;

import io.sluice.jobapi.budget.BudgetAdmin;
import io.sluice.jobapi.budget.BudgetExceededException;
import io.sluice.jobapi.budget.BudgetPeriod;
import io.sluice.jobapi.budget.BudgetStatus;
import io.sluice.jobapi.budget.TokenBudget;
import io.sluice.jobapi.job.JobBudget;
import io.sluice.jobapi.store.Clocks;
import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.store.DatabaseException;
import io.sluice.jobapi.store.Transaction;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Token budgets on PostgreSQL: the reservation at submission and the operators' view. Whether a
 * tenant has a budget is cached for the key cache time, so tenants without one pay no query.
 */
public final class JdbcBudgets implements JobBudget, BudgetAdmin {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcBudgets.class);
  private static final int INSERT_CHUNK = 1000;

  private final Database database;
  private final BudgetRepository repository;
  private final Clock clock;
  private final Duration cacheTtl;
  private final Map<String, Cached> budgeted = new ConcurrentHashMap<>();

  private record Cached(boolean applies, Instant until) {}

  public JdbcBudgets(Database database, Clock clock, Duration cacheTtl) {
    this(database, new BudgetRepository(), clock, cacheTtl);
  }

  JdbcBudgets(Database database, BudgetRepository repository, Clock clock, Duration cacheTtl) {
    this.database = database;
    this.repository = repository;
    this.clock = clock;
    this.cacheTtl = cacheTtl;
  }

  @Override
  public boolean appliesTo(String tenantId) {
    Instant now = clock.instant();
    Cached cached = budgeted.get(tenantId);
    if (cached != null && now.isBefore(cached.until())) {
      return cached.applies();
    }
    boolean applies = database.inTransaction(c -> repository.findBudget(c, tenantId).isPresent());
    if (!cacheTtl.isZero()) {
      budgeted.put(tenantId, new Cached(applies, now.plus(cacheTtl)));
    }
    return applies;
  }

  @Override
  public void reserve(Transaction tx, String tenantId, List<Hold> holds, Instant now) {
    try {
      reserveIn(tx.connection(), tenantId, holds, now);
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  private void reserveIn(Connection c, String tenantId, List<Hold> holds, Instant now)
      throws SQLException {
    Optional<TokenBudget> budget = repository.findBudget(c, tenantId);
    if (budget.isEmpty() || holds.isEmpty()) {
      return;
    }
    long tokens = holds.stream().mapToLong(Hold::tokens).sum();
    LocalDate day = BudgetPeriod.dayOf(now);
    repository.ensurePeriods(c, tenantId, day);
    // Always the day's row first, then the month's: every transaction locks them in this order.
    for (BudgetPeriod period : BudgetPeriod.values()) {
      Long limit = budget.get().limit(period);
      if (!repository.reserve(c, tenantId, period, day, tokens, limit)) {
        throw new BudgetExceededException(status(c, tenantId, period, day, limit), tokens, now);
      }
    }
    for (int from = 0; from < holds.size(); from += INSERT_CHUNK) {
      repository.insertReservations(
          c, tenantId, day, holds.subList(from, Math.min(holds.size(), from + INSERT_CHUNK)));
    }
  }

  @Override
  public Optional<TokenBudget> budgetOf(String tenantId) {
    return database.inTransaction(c -> repository.findBudget(c, tenantId));
  }

  @Override
  public void setBudget(String tenantId, TokenBudget budget) {
    Instant now = Clocks.now(clock);
    boolean found = database.inTransaction(c -> repository.setBudget(c, tenantId, budget, now));
    if (!found) {
      throw new IllegalArgumentException("no tenant with id '" + tenantId + "'");
    }
    budgeted.remove(tenantId);
    LOG.info(
        "token budget of tenant {} is now {} a day, {} a month",
        tenantId,
        orNone(budget.dailyTokens()),
        orNone(budget.monthlyTokens()));
  }

  private static String orNone(Long tokens) {
    return tokens == null ? "none" : tokens.toString();
  }

  @Override
  public List<BudgetStatus> statusOf(String tenantId) {
    LocalDate day = BudgetPeriod.dayOf(clock.instant());
    return database.inTransaction(
        c -> {
          TokenBudget budget = repository.findBudget(c, tenantId).orElse(TokenBudget.NONE);
          List<BudgetStatus> statuses = new ArrayList<>();
          for (BudgetPeriod period : BudgetPeriod.values()) {
            statuses.add(status(c, tenantId, period, day, budget.limit(period)));
          }
          return statuses;
        });
  }

  private BudgetStatus status(
      Connection c, String tenantId, BudgetPeriod period, LocalDate day, Long limit)
      throws SQLException {
    BudgetRepository.Counts counts = repository.counts(c, tenantId, period, day);
    return new BudgetStatus(
        period, limit, counts.used(), counts.reserved(), period.start(day), period.resetsAt(day));
  }
}
