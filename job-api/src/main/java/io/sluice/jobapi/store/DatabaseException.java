package io.sluice.jobapi.store;

import java.sql.SQLException;
import java.util.Map;

/**
 * PostgreSQL failed; the transaction was rolled back, so trying again is safe.
 *
 * <p>The message names the SQLState and its class only. PostgreSQL's own message, detail and
 * context may quote the statement's data (a prompt, an output, metadata: "Failing row contains
 * (...)", "Where: JSON data, line 1: ..."), so they are neither in this message nor kept as a cause
 * that a stack trace would print.
 */
public final class DatabaseException extends RuntimeException {
  private static final Map<String, String> CLASSES =
      Map.ofEntries(
          Map.entry("08", "connection failure"),
          Map.entry("22", "data exception"),
          Map.entry("23", "integrity constraint violation"),
          Map.entry("25", "invalid transaction state"),
          Map.entry("28", "invalid authorization"),
          Map.entry("3D", "invalid database"),
          Map.entry("40", "transaction rollback"),
          Map.entry("42", "syntax error or access rule violation"),
          Map.entry("53", "insufficient resources"),
          Map.entry("54", "program limit exceeded"),
          Map.entry("55", "object not in prerequisite state"),
          Map.entry("57", "operator intervention"),
          Map.entry("58", "system error"),
          Map.entry("P0", "error raised in the database"),
          Map.entry("XX", "internal error"));

  private final String sqlState;

  public DatabaseException(SQLException cause) {
    super(describe(cause.getSQLState(), cause));
    this.sqlState = cause.getSQLState();
    setStackTrace(cause.getStackTrace());
  }

  /** The SQLState of the failure, e.g. {@code 40001}; {@code null} when the driver gave none. */
  public String sqlState() {
    return sqlState;
  }

  private static String describe(String sqlState, SQLException cause) {
    String kind =
        sqlState == null || sqlState.length() < 2
            ? "no SQLState"
            : CLASSES.getOrDefault(sqlState.substring(0, 2), "SQLState class " + sqlState);
    return "database error (SQLState " + sqlState + ", " + kind + ", " + typeOf(cause) + ")";
  }

  private static String typeOf(SQLException cause) {
    return cause.getClass().getSimpleName();
  }
}
