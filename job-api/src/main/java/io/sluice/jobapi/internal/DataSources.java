package io.sluice.jobapi.internal;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sluice.jobapi.JobApiSettings;

/** The connection pool to job-api's PostgreSQL database. */
public final class DataSources {
  private DataSources() {}

  public static HikariDataSource create(JobApiSettings settings) {
    HikariConfig config = new HikariConfig();
    config.setPoolName("sluice-job-api");
    config.setJdbcUrl(settings.jdbcUrl());
    config.setUsername(settings.dbUser());
    config.setPassword(settings.dbPassword());
    config.setMaximumPoolSize(settings.dbPoolSize());
    config.setMinimumIdle(Math.min(2, settings.dbPoolSize()));
    config.setConnectionTimeout(10_000);
    config.setAutoCommit(true);
    return new HikariDataSource(config);
  }
}
