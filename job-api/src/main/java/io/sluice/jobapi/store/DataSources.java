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
    // A JDBC batch of inserts goes as multi-row INSERTs: the intake's group commit writes a burst
    // of jobs in a statement or two instead of one per job.
    config.addDataSourceProperty("reWriteBatchedInserts", "true");
    return new HikariDataSource(config);
  }
}
