package io.sluice.jobapi.store;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;

/** The connection pool to job-api's PostgreSQL database. */
public final class DataSources {
  private DataSources() {}

  public static HikariDataSource create(String jdbcUrl, String user, String password, int size) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("sluice-job-api");
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(size);
    config.setMinimumIdle(Math.min(2, size));
    config.setConnectionTimeout(10_000);
    config.setAutoCommit(true);
    return new HikariDataSource(config);
  }
}
