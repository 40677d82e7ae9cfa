package io.sluice.ratelimit.postgres;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;

/** A fresh database on the shared test server, migrated, behind a small connection pool. */
final class PostgresTestDatabase {
  private PostgresTestDatabase() {}

  static HikariDataSource newMigratedPool(int size) {
    PostgresEndpoint database = TestInfrastructure.newDatabase();
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(database.jdbcUrl());
    config.setUsername(database.username());
    config.setPassword(database.password());
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(size);
    config.setConnectionTimeout(2_000);
    config.setPoolName(TestInfrastructure.uniqueName("limits"));
    HikariDataSource pool = new HikariDataSource(config);
    new PostgresLimitStore(pool).migrate();
    return pool;
  }
}
