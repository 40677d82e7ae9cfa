package io.sluice.jobapi.store;

import java.sql.Connection;
import java.util.Objects;

/**
 * One open PostgreSQL transaction, handed from the feature that opened it to the repositories of
 * other features that take part in it (a job, its outbox record and its Idempotency-Key are
 * committed together). Ports at feature roots take this type, so they name no JDBC type.
 */
public final class Transaction {
  private final Connection connection;

  public Transaction(Connection connection) {
    this.connection = Objects.requireNonNull(connection, "connection");
  }

  /** The connection the transaction runs on; for repositories only. */
  public Connection connection() {
    return connection;
  }
}
