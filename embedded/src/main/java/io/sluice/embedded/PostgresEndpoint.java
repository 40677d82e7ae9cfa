package io.sluice.embedded;

/**
 * A PostgreSQL database that clients can reach. Closing stops the server or drops the database if
 * this process created it.
 */
public interface PostgresEndpoint extends AutoCloseable {

  /** A JDBC URL such as {@code jdbc:postgresql://127.0.0.1:5432/postgres}. */
  String jdbcUrl();

  String username();

  String password();

  @Override
  void close();
}
