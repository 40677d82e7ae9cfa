package io.sluice.jobapi.webhook.internal;

import io.sluice.jobapi.store.Sql;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Optional;

/** All SQL on {@code webhook_tenant_secrets}: the secrets of a tenant's one-off webhooks. */
final class TenantSecretRepository {

  /** Stores {@code secret} for the tenant unless it has one already. */
  void insertIfAbsent(Connection c, String tenantId, byte[] secret, Instant now)
      throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "INSERT INTO webhook_tenant_secrets (tenant_id, secret, updated_at) VALUES (?, ?, ?)"
                + " ON CONFLICT (tenant_id) DO NOTHING")) {
      s.setString(1, tenantId);
      s.setBytes(2, secret);
      Sql.setInstant(s, 3, now);
      s.executeUpdate();
    }
  }

  Optional<StoredKeys> lock(Connection c, String tenantId) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "SELECT secret, previous_secret, previous_secret_expires_at"
                + " FROM webhook_tenant_secrets WHERE tenant_id = ? FOR UPDATE")) {
      s.setString(1, tenantId);
      try (ResultSet row = s.executeQuery()) {
        return row.next()
            ? Optional.of(
                new StoredKeys(
                    tenantId,
                    row.getBytes(1),
                    row.getBytes(2),
                    Sql.getInstant(row, "previous_secret_expires_at")))
            : Optional.empty();
      }
    }
  }

  void update(Connection c, String tenantId, StoredKeys keys, Instant now) throws SQLException {
    try (PreparedStatement s =
        c.prepareStatement(
            "UPDATE webhook_tenant_secrets SET secret = ?, previous_secret = ?,"
                + " previous_secret_expires_at = ?, updated_at = ? WHERE tenant_id = ?")) {
      s.setBytes(1, keys.current());
      s.setBytes(2, keys.previous());
      Sql.setInstant(s, 3, keys.previousExpiresAt());
      Sql.setInstant(s, 4, now);
      s.setString(5, tenantId);
      s.executeUpdate();
    }
  }
}
