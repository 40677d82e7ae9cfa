package io.sluice.jobapi;

import com.zaxxer.hikari.HikariDataSource;
import io.sluice.jobapi.budget.BudgetAdmin;
import io.sluice.jobapi.budget.Budgets;
import io.sluice.jobapi.store.DataSources;
import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.store.Migrations;
import io.sluice.jobapi.tenant.TenantAdmin;
import io.sluice.jobapi.tenant.Tenants;
import java.security.SecureRandom;
import java.time.Clock;

/**
 * job-api's database opened for an operator ({@code sluice admin}), without an API instance:
 * migrated like {@link JobApi#start} does (so tenants can be created before the first instance
 * runs), with the tenant admin on it. Close it to release its connections.
 */
public final class TenantDatabase implements AutoCloseable {
  private final TenantAdmin admin;
  private final BudgetAdmin budgets;
  private final HikariDataSource dataSource;

  private TenantDatabase(TenantAdmin admin, BudgetAdmin budgets, HikariDataSource dataSource) {
    this.admin = admin;
    this.budgets = budgets;
    this.dataSource = dataSource;
  }

  public static TenantDatabase open(String jdbcUrl, String user, String password, Clock clock) {
    HikariDataSource dataSource = DataSources.create(jdbcUrl, user, password, 2);
    try {
      Migrations.migrate(dataSource);
      Database database = new Database(dataSource);
      return new TenantDatabase(
          Tenants.admin(database, new SecureRandom(), clock),
          Budgets.admin(database, clock),
          dataSource);
    } catch (RuntimeException e) {
      dataSource.close();
      throw e;
    }
  }

  public TenantAdmin admin() {
    return admin;
  }

  /** The tenants' token budgets (docs/budgets.md). */
  public BudgetAdmin budgets() {
    return budgets;
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
