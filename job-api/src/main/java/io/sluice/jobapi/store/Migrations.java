package io.sluice.jobapi.store;

import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/** Brings job-api's schema up to date with Flyway (plain API; migrations in db/migration). */
public final class Migrations {
  private Migrations() {}

  public static void migrate(DataSource dataSource) {
    Flyway.configure()
        .dataSource(dataSource)
        .locations("classpath:db/migration")
        .table("job_api_schema_history")
        .load()
        .migrate();
  }
}
