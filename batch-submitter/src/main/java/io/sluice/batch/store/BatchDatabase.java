package io.sluice.batch.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Objects;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * The deferred lane's PostgreSQL schema ({@value #SCHEMA}) and its transactions. Each step of the
 * batch-submitter is one short transaction over the repositories ({@link PendingItemRepository},
 * {@link ProviderBatchRepository}, {@link BatchMemberRepository}); provider calls and Kafka sends
 * happen between transactions, never inside one.
 */
public final class BatchDatabase {
  /** The schema that holds the deferred lane's tables. */
  public static final String SCHEMA = "batch_submitter";

  /** Work inside one transaction. */
  @FunctionalInterface
  public interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private final DataSource dataSource;

  public BatchDatabase(DataSource dataSource) {
    this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
  }

  /** Creates or upgrades the tables (Flyway, history in the schema's own history table). */
  public void migrate() {
    Flyway.configure()
        .dataSource(dataSource)
        .schemas(SCHEMA)
        .defaultSchema(SCHEMA)
        .createSchemas(true)
        .locations("classpath:io/sluice/batch/store/migration")
        .load()
        .migrate();
  }

  /**
   * Runs {@code work} in one transaction and commits it.
   *
   * @param operation what the work does, for the error message ({@code "record intake"})
   * @throws StoreUnavailableException when PostgreSQL fails; the transaction is rolled back
   */
  public <T> T inTransaction(String operation, Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        T result = work.run(connection);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        rollbackQuietly(connection);
        throw e;
      }
    } catch (SQLException e) {
      throw new StoreUnavailableException(
          "PostgreSQL failed to " + operation + " (SQL state " + e.getSQLState() + ")", e);
    }
  }

  private static void rollbackQuietly(Connection connection) {
    try {
      connection.rollback();
    } catch (SQLException ignored) {
      // the connection is broken; the transaction dies with it
    }
  }

  static OffsetDateTime at(Instant instant) {
    return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
  }

  static Instant instant(ResultSet row, String column) throws SQLException {
    OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
    return value == null ? null : value.toInstant();
  }
}
