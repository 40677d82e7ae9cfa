package io.sluice.jobapi.idempotency.internal;

import io.sluice.jobapi.idempotency.IdempotencyKey;
import io.sluice.jobapi.idempotency.IdempotencyKeys;
import io.sluice.jobapi.idempotency.IdempotencyRecord;
import io.sluice.jobapi.store.DatabaseException;
import io.sluice.jobapi.store.Sql;
import io.sluice.jobapi.store.Transaction;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** All SQL on the {@code idempotency_keys} table. */
public final class IdempotencyRepository implements IdempotencyKeys {
  // Held until the transaction ends; a second request with the same key meanwhile gets 409.
  private static final String TRY_LOCK = "SELECT pg_try_advisory_xact_lock(hashtextextended(?, 0))";

  private static final String FIND_LIVE =
      "SELECT request_fingerprint, job_id, expires_at FROM idempotency_keys"
          + " WHERE tenant_id = ? AND idempotency_key = ? AND expires_at > ?";

  // The primary key decides: a live row is never overwritten, an expired one is taken over.
  private static final String CLAIM =
      "INSERT INTO idempotency_keys"
          + " (tenant_id, idempotency_key, request_fingerprint, job_id, created_at, expires_at)"
          + " VALUES (?, ?, ?, ?, ?, ?)"
          + " ON CONFLICT (tenant_id, idempotency_key) DO UPDATE SET"
          + " request_fingerprint = EXCLUDED.request_fingerprint, job_id = EXCLUDED.job_id,"
          + " created_at = EXCLUDED.created_at, expires_at = EXCLUDED.expires_at"
          + " WHERE idempotency_keys.expires_at <= EXCLUDED.created_at";

  // SKIP LOCKED: instances purging at the same time take different rows and never wait.
  private static final String DELETE_EXPIRED =
      "DELETE FROM idempotency_keys WHERE (tenant_id, idempotency_key) IN"
          + " (SELECT tenant_id, idempotency_key FROM idempotency_keys"
          + " WHERE expires_at <= ? LIMIT ? FOR UPDATE SKIP LOCKED)";

  @Override
  public boolean tryLock(Transaction tx, String tenantId, IdempotencyKey key) {
    try {
      return tryLock(tx.connection(), tenantId, key);
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  @Override
  public Optional<IdempotencyRecord> findLive(
      Transaction tx, String tenantId, IdempotencyKey key, Instant now) {
    try {
      return findLive(tx.connection(), tenantId, key, now);
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  @Override
  public boolean claim(
      Transaction tx,
      String tenantId,
      IdempotencyKey key,
      String fingerprint,
      String jobId,
      Instant now,
      Instant expiresAt) {
    try {
      return claim(tx.connection(), tenantId, key, fingerprint, jobId, now, expiresAt);
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  boolean tryLock(Connection connection, String tenantId, IdempotencyKey key) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(TRY_LOCK)) {
      statement.setString(1, tenantId + '\n' + key.value());
      try (ResultSet row = statement.executeQuery()) {
        row.next();
        return row.getBoolean(1);
      }
    }
  }

  Optional<IdempotencyRecord> findLive(
      Connection connection, String tenantId, IdempotencyKey key, Instant now) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(FIND_LIVE)) {
      statement.setString(1, tenantId);
      statement.setString(2, key.value());
      Sql.setInstant(statement, 3, now);
      try (ResultSet row = statement.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new IdempotencyRecord(
                key,
                row.getString("request_fingerprint"),
                row.getString("job_id"),
                Sql.getInstant(row, "expires_at")));
      }
    }
  }

  boolean claim(
      Connection connection,
      String tenantId,
      IdempotencyKey key,
      String fingerprint,
      String jobId,
      Instant now,
      Instant expiresAt)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(CLAIM)) {
      statement.setString(1, tenantId);
      statement.setString(2, key.value());
      statement.setString(3, fingerprint);
      statement.setString(4, jobId);
      Sql.setInstant(statement, 5, now);
      Sql.setInstant(statement, 6, expiresAt);
      return statement.executeUpdate() == 1;
    }
  }

  /**
   * Deletes up to {@code limit} keys that expired at or before {@code now}; returns how many. An
   * expired key is treated as absent already (it is taken over on reuse), so this only frees space.
   */
  public int deleteExpired(Connection connection, Instant now, int limit) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(DELETE_EXPIRED)) {
      Sql.setInstant(statement, 1, now);
      statement.setInt(2, limit);
      return statement.executeUpdate();
    }
  }
}
