package io.sluice.jobapi.cache.internal;

import io.sluice.jobapi.job.AnswerCache;
import io.sluice.jobapi.job.CacheKey;
import io.sluice.jobapi.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** All SQL on {@code result_cache} and {@code result_cache_pending}. */
final class CacheRepository {
  // The tenant's TTL as it is now, else the deployment's default (the last parameter).
  private static final String TTL = "make_interval(secs => coalesce(t.cache_ttl_seconds, ?))";

  private static final String FIND =
      "SELECT c.job_id FROM result_cache c JOIN tenants t ON t.id = c.tenant_id"
          + " WHERE c.tenant_id = ? AND c.cache_key = ? AND c.stored_at + "
          + TTL
          + " > ?";

  private static final String EXPECT =
      "INSERT INTO result_cache_pending (job_id, tenant_id, cache_key) VALUES (?, ?, ?)";

  // The latest answer wins: two identical jobs that both missed both run, and the one that ends
  // last is kept. A tenant whose TTL is 0 keeps nothing.
  private static final String KEEP =
      "INSERT INTO result_cache (tenant_id, cache_key, job_id, stored_at)"
          + " SELECT p.tenant_id, p.cache_key, p.job_id, ? FROM result_cache_pending p"
          + " JOIN tenants t ON t.id = p.tenant_id"
          + " WHERE p.job_id = ? AND coalesce(t.cache_ttl_seconds, ?) > 0"
          + " ON CONFLICT (tenant_id, cache_key) DO UPDATE SET"
          + " job_id = EXCLUDED.job_id, stored_at = EXCLUDED.stored_at";

  private static final String FORGET_PENDING = "DELETE FROM result_cache_pending WHERE job_id = ?";

  // SKIP LOCKED: instances purging at the same time take different rows and never wait.
  private static final String DELETE_EXPIRED =
      "DELETE FROM result_cache WHERE (tenant_id, cache_key) IN"
          + " (SELECT c.tenant_id, c.cache_key FROM result_cache c"
          + " JOIN tenants t ON t.id = c.tenant_id WHERE c.stored_at + "
          + TTL
          + " <= ? LIMIT ? FOR UPDATE OF c SKIP LOCKED)";

  Optional<String> find(
      Connection connection, String tenantId, CacheKey key, Duration defaultTtl, Instant now)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(FIND)) {
      statement.setString(1, tenantId);
      statement.setBytes(2, key.sha256());
      statement.setLong(3, defaultTtl.toSeconds());
      Sql.setInstant(statement, 4, now);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() ? Optional.of(row.getString(1)) : Optional.empty();
      }
    }
  }

  void expect(Connection connection, List<AnswerCache.Expected> jobs) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(EXPECT)) {
      for (AnswerCache.Expected job : jobs) {
        statement.setString(1, job.jobId());
        statement.setString(2, job.tenantId());
        statement.setBytes(3, job.key().sha256());
        statement.addBatch();
      }
      statement.executeBatch();
    }
  }

  /** Keeps the answer of the expected job {@code jobId}, if it was expected; returns whether. */
  boolean keep(Connection connection, String jobId, Duration defaultTtl, Instant now)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(KEEP)) {
      Sql.setInstant(statement, 1, now);
      statement.setString(2, jobId);
      statement.setLong(3, defaultTtl.toSeconds());
      return statement.executeUpdate() > 0;
    }
  }

  void forgetPending(Connection connection, String jobId) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(FORGET_PENDING)) {
      statement.setString(1, jobId);
      statement.executeUpdate();
    }
  }

  int deleteExpired(Connection connection, Duration defaultTtl, Instant now, int limit)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(DELETE_EXPIRED)) {
      statement.setLong(1, defaultTtl.toSeconds());
      Sql.setInstant(statement, 2, now);
      statement.setInt(3, limit);
      return statement.executeUpdate();
    }
  }
}
