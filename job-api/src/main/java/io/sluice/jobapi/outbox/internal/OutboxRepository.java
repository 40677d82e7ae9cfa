package io.sluice.jobapi.outbox.internal;

import io.sluice.jobapi.outbox.OutboxRecord;
import io.sluice.jobapi.outbox.OutboxWriter;
import io.sluice.jobapi.store.DatabaseException;
import io.sluice.jobapi.store.Sql;
import io.sluice.jobapi.store.Transaction;
import io.sluice.observability.tracing.TraceContext;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** All SQL on the {@code outbox} table. */
public final class OutboxRepository implements OutboxWriter {
  private static final String INSERT =
      "INSERT INTO outbox (topic, record_key, payload, created_at, traceparent, tracestate)"
          + " VALUES (?, ?, ?, ?, ?, ?)";

  // SKIP LOCKED: several job-api instances relay side by side, each taking rows no one else holds.
  private static final String LOCK_BATCH =
      "SELECT id, topic, record_key, payload, traceparent, tracestate FROM outbox ORDER BY id"
          + " LIMIT ? FOR UPDATE SKIP LOCKED";

  private static final String DELETE = "DELETE FROM outbox WHERE id = ANY (?)";

  private static final String COUNT = "SELECT count(*) FROM outbox";

  @Override
  public void append(Transaction tx, String topic, String key, String payload, Instant now) {
    try {
      insert(tx.connection(), topic, key, payload, now, TraceContext.current());
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  @Override
  public void appendAll(Transaction tx, List<Entry> entries) {
    try (PreparedStatement statement = tx.connection().prepareStatement(INSERT)) {
      for (Entry entry : entries) {
        bind(
            statement,
            entry.topic(),
            entry.key(),
            entry.payload(),
            entry.createdAt(),
            entry.trace());
        statement.addBatch();
      }
      statement.executeBatch();
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  void insert(
      Connection connection,
      String topic,
      String key,
      String payload,
      Instant now,
      TraceContext trace)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(INSERT)) {
      bind(statement, topic, key, payload, now, trace);
      statement.executeUpdate();
    }
  }

  private static void bind(
      PreparedStatement statement,
      String topic,
      String key,
      String payload,
      Instant createdAt,
      TraceContext trace)
      throws SQLException {
    statement.setString(1, topic);
    statement.setString(2, key);
    statement.setString(3, payload);
    Sql.setInstant(statement, 4, createdAt);
    statement.setString(5, trace == null ? null : trace.traceparent());
    statement.setString(6, trace == null ? null : trace.tracestate());
  }

  /** Up to {@code limit} of the oldest records, locked until the transaction ends. */
  public List<OutboxRecord> lockBatch(Connection connection, int limit) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(LOCK_BATCH)) {
      statement.setInt(1, limit);
      try (ResultSet row = statement.executeQuery()) {
        List<OutboxRecord> records = new ArrayList<>();
        while (row.next()) {
          records.add(
              new OutboxRecord(
                  row.getLong("id"),
                  row.getString("topic"),
                  row.getString("record_key"),
                  row.getString("payload"),
                  traceOf(row)));
        }
        return records;
      }
    }
  }

  private static TraceContext traceOf(ResultSet row) throws SQLException {
    String traceparent = row.getString("traceparent");
    return traceparent == null ? null : new TraceContext(traceparent, row.getString("tracestate"));
  }

  public void delete(Connection connection, List<OutboxRecord> records) throws SQLException {
    Long[] ids = records.stream().map(OutboxRecord::id).toArray(Long[]::new);
    Array array = connection.createArrayOf("bigint", ids);
    try (PreparedStatement statement = connection.prepareStatement(DELETE)) {
      statement.setArray(1, array);
      statement.executeUpdate();
    } finally {
      array.free();
    }
  }

  /** The rows not yet published (the outbox backlog). */
  public long count(Connection connection) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(COUNT);
        ResultSet row = statement.executeQuery()) {
      row.next();
      return row.getLong(1);
    }
  }
}
