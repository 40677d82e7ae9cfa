package io.sluice.jobapi.bulk.batches.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.jobapi.bulk.batches.Batch;
import io.sluice.jobapi.bulk.batches.BatchStatus;
import io.sluice.jobapi.bulk.batches.LineError;
import io.sluice.jobapi.store.Sql;
import io.sluice.schemas.json.Json;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** All SQL on the {@code batches} table. */
final class BatchRepository {
  private static final ObjectMapper JSON = Json.mapper();
  private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {};
  private static final TypeReference<List<LineError>> ERRORS = new TypeReference<>() {};
  private static final List<BatchStatus> TIMED =
      List.of(
          BatchStatus.IN_PROGRESS,
          BatchStatus.FINALIZING,
          BatchStatus.COMPLETED,
          BatchStatus.FAILED,
          BatchStatus.EXPIRED,
          BatchStatus.CANCELLING,
          BatchStatus.CANCELLED);
  // The first key of the advisory locks that hold a batch for its intake (any constant of ours).
  private static final int INTAKE_LOCKS = 0x5b17c4;
  private static final String COLUMNS =
      "id, tenant_id, input_file_id, endpoint, completion_window, status, metadata, errors, total,"
          + " output_file_id, error_file_id, cancels_sent, created_at, expires_at, in_progress_at,"
          + " finalizing_at, completed_at, failed_at, expired_at, cancelling_at, cancelled_at";

  void insert(Connection connection, Batch batch) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "INSERT INTO batches ("
                + COLUMNS
                + ") VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
      statement.setString(1, batch.id());
      statement.setString(2, batch.tenantId());
      statement.setString(3, batch.inputFileId());
      statement.setString(4, batch.endpoint());
      statement.setString(5, batch.completionWindow());
      statement.setString(6, batch.status().wireName());
      statement.setString(7, toJson(batch.metadata()));
      statement.setString(8, batch.errors().isEmpty() ? null : toJson(batch.errors()));
      statement.setLong(9, batch.total());
      statement.setString(10, batch.outputFileId());
      statement.setString(11, batch.errorFileId());
      statement.setBoolean(12, batch.cancelsSent());
      Sql.setInstant(statement, 13, batch.createdAt());
      Sql.setInstant(statement, 14, batch.expiresAt());
      for (int i = 0; i < TIMED.size(); i++) {
        Sql.setInstant(statement, 15 + i, batch.times().get(TIMED.get(i)));
      }
      statement.executeUpdate();
    }
  }

  /**
   * Moves the batch from {@code from} to {@code to}; false when it was no longer in {@code from}.
   */
  boolean move(Connection connection, String id, BatchStatus from, BatchStatus to, Instant at)
      throws SQLException {
    String column = to.wireName().toLowerCase(Locale.ROOT) + "_at";
    try (PreparedStatement statement =
        connection.prepareStatement(
            "UPDATE batches SET status = ?, " + column + " = ? WHERE id = ? AND status = ?")) {
      statement.setString(1, to.wireName());
      Sql.setInstant(statement, 2, at);
      statement.setString(3, id);
      statement.setString(4, from.wireName());
      return statement.executeUpdate() == 1;
    }
  }

  /** Ends the batch: finalizing and its end status at once, with its result files. */
  boolean end(
      Connection connection,
      String id,
      BatchStatus from,
      BatchStatus to,
      Instant at,
      String outputFileId,
      String errorFileId)
      throws SQLException {
    String column = to.wireName().toLowerCase(Locale.ROOT) + "_at";
    try (PreparedStatement statement =
        connection.prepareStatement(
            "UPDATE batches SET status = ?, finalizing_at = ?, "
                + column
                + " = ?, output_file_id = ?, error_file_id = ? WHERE id = ? AND status = ?")) {
      statement.setString(1, to.wireName());
      Sql.setInstant(statement, 2, at);
      Sql.setInstant(statement, 3, at);
      statement.setString(4, outputFileId);
      statement.setString(5, errorFileId);
      statement.setString(6, id);
      statement.setString(7, from.wireName());
      return statement.executeUpdate() == 1;
    }
  }

  /** Up to {@code limit} batches waiting to be validated, oldest first. */
  List<String> validating(Connection connection, int limit) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT id FROM batches WHERE status = 'validating' ORDER BY created_at LIMIT ?")) {
      statement.setInt(1, limit);
      List<String> ids = new ArrayList<>();
      try (ResultSet rows = statement.executeQuery()) {
        while (rows.next()) {
          ids.add(rows.getString(1));
        }
      }
      return ids;
    }
  }

  /**
   * Holds the batch for its intake until the transaction ends; false when another transaction (of
   * any job-api instance) holds it. An advisory lock, not a row lock: a cancel can still move the
   * batch while it is validated.
   */
  boolean tryHold(Connection connection, String id) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT pg_try_advisory_xact_lock(?, hashtext(?))")) {
      statement.setInt(1, INTAKE_LOCKS);
      statement.setString(2, id);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() && row.getBoolean(1);
      }
    }
  }

  /** Moves a validated batch to {@code in_progress} with its total; false when not validating. */
  boolean start(Connection connection, String id, long total, Instant at) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "UPDATE batches SET status = 'in_progress', in_progress_at = ?, total = ?"
                + " WHERE id = ? AND status = 'validating'")) {
      Sql.setInstant(statement, 1, at);
      statement.setLong(2, total);
      statement.setString(3, id);
      return statement.executeUpdate() == 1;
    }
  }

  /** Ends a batch that is still validating {@code failed}; false when not validating. */
  boolean fail(Connection connection, String id, List<LineError> errors, Instant at)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "UPDATE batches SET status = 'failed', failed_at = ?, errors = ?"
                + " WHERE id = ? AND status = 'validating'")) {
      Sql.setInstant(statement, 1, at);
      statement.setString(2, toJson(errors));
      statement.setString(3, id);
      return statement.executeUpdate() == 1;
    }
  }

  /** The batch's status as committed now. */
  BatchStatus statusOf(Connection connection, String id) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT status FROM batches WHERE id = ?")) {
      statement.setString(1, id);
      try (ResultSet row = statement.executeQuery()) {
        if (!row.next()) {
          throw new IllegalStateException("batch " + id + " is gone");
        }
        return BatchStatus.fromWireName(row.getString(1));
      }
    }
  }

  void markCancelsSent(Connection connection, String id) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("UPDATE batches SET cancels_sent = true WHERE id = ?")) {
      statement.setString(1, id);
      statement.executeUpdate();
    }
  }

  Optional<Batch> find(Connection connection, String tenantId, String id) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT " + COLUMNS + " FROM batches WHERE id = ? AND tenant_id = ?")) {
      statement.setString(1, id);
      statement.setString(2, tenantId);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() ? Optional.of(toBatch(row)) : Optional.empty();
      }
    }
  }

  Optional<Batch> findAny(Connection connection, String id) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT " + COLUMNS + " FROM batches WHERE id = ?")) {
      statement.setString(1, id);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() ? Optional.of(toBatch(row)) : Optional.empty();
      }
    }
  }

  /** Up to {@code limit + 1} of the tenant's batches, newest first, after batch {@code after}. */
  List<Batch> list(Connection connection, String tenantId, String after, int limit)
      throws SQLException {
    String sql =
        "SELECT "
            + COLUMNS
            + " FROM batches b WHERE tenant_id = ?"
            + (after == null
                ? ""
                : " AND (created_at, id) < (SELECT a.created_at, a.id FROM batches a"
                    + " WHERE a.id = ? AND a.tenant_id = b.tenant_id)")
            + " ORDER BY created_at DESC, id DESC LIMIT ?";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      int i = 1;
      statement.setString(i++, tenantId);
      if (after != null) {
        statement.setString(i++, after);
      }
      statement.setInt(i, limit + 1);
      return all(statement);
    }
  }

  /** Batches whose jobs may still run (in progress or being cancelled), oldest first. */
  List<Batch> open(Connection connection, int limit) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement(
            "SELECT "
                + COLUMNS
                + " FROM batches WHERE status IN ('in_progress', 'cancelling')"
                + " ORDER BY created_at LIMIT ?")) {
      statement.setInt(1, limit);
      return all(statement);
    }
  }

  private static List<Batch> all(PreparedStatement statement) throws SQLException {
    List<Batch> batches = new ArrayList<>();
    try (ResultSet rows = statement.executeQuery()) {
      while (rows.next()) {
        batches.add(toBatch(rows));
      }
    }
    return batches;
  }

  private static Batch toBatch(ResultSet row) throws SQLException {
    Map<BatchStatus, Instant> times = new EnumMap<>(BatchStatus.class);
    for (BatchStatus status : TIMED) {
      Instant at = Sql.getInstant(row, status.wireName() + "_at");
      if (at != null) {
        times.put(status, at);
      }
    }
    String errors = row.getString("errors");
    return new Batch(
        row.getString("id"),
        row.getString("tenant_id"),
        row.getString("input_file_id"),
        row.getString("endpoint"),
        row.getString("completion_window"),
        BatchStatus.fromWireName(row.getString("status")),
        fromJson(row.getString("metadata"), STRING_MAP),
        errors == null ? List.of() : fromJson(errors, ERRORS),
        row.getLong("total"),
        row.getString("output_file_id"),
        row.getString("error_file_id"),
        row.getBoolean("cancels_sent"),
        Sql.getInstant(row, "created_at"),
        Sql.getInstant(row, "expires_at"),
        times);
  }

  private static String toJson(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot write " + value.getClass().getSimpleName());
    }
  }

  private static <T> T fromJson(String json, TypeReference<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("stored batch JSON is not readable");
    }
  }
}
