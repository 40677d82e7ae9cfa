package io.sluice.jobapi.internal;

import java.sql.SQLException;

/** PostgreSQL failed; the transaction was rolled back, so trying again is safe. */
public final class DatabaseException extends RuntimeException {
  public DatabaseException(SQLException cause) {
    super("database error (SQLState " + cause.getSQLState() + "): " + cause.getMessage(), cause);
  }

  public String sqlState() {
    return ((SQLException) getCause()).getSQLState();
  }
}
