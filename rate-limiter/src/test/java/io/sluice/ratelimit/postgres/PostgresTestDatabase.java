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
    HikariDataSource pool =
        pool(database.jdbcUrl(), database.username(), database.password(), size);
    new PostgresLimitStore(pool).migrate();
    return pool;
  }

  /** Another pool on the database of {@code migrated}, as a second process would have. */
  static HikariDataSource poolOn(HikariDataSource migrated, int size) {
    return pool(migrated.getJdbcUrl(), migrated.getUsername(), migrated.getPassword(), size);
  }

  private static HikariDataSource pool(String jdbcUrl, String username, String password, int size) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(username);
    config.setPassword(password);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(size);
    config.setConnectionTimeout(2_000);
    config.setPoolName(TestInfrastructure.uniqueName("limits"));
    return new HikariDataSource(config);
  }
}
