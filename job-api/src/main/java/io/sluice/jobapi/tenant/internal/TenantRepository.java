package io.sluice.jobapi.tenant.internal;

import io.sluice.jobapi.store.Sql;
import io.sluice.jobapi.tenant.ApiKeyInfo;
import io.sluice.jobapi.tenant.Tenant;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** All SQL on the {@code tenants} and {@code api_keys} tables. Keys appear only as hashes. */
public final class TenantRepository {

  /** A stored key with its state, found by hash. */
  public record StoredKey(ApiKeyInfo info, boolean revoked) {}

  /** Inserts a tenant unless one with the name exists; returns whether it inserted. */
  public boolean insertTenant(Connection connection, Tenant tenant) throws SQLException {
    String sql =
        "INSERT INTO tenants (id, name, created_at) VALUES (?, ?, ?)"
            + " ON CONFLICT (name) DO NOTHING";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, tenant.id());
      statement.setString(2, tenant.name());
      Sql.setInstant(statement, 3, tenant.createdAt());
      return statement.executeUpdate() == 1;
    }
  }

  public Optional<Tenant> findTenantByName(Connection connection, String name) throws SQLException {
    return findTenant(connection, "SELECT id, name, created_at FROM tenants WHERE name = ?", name);
  }

  public Optional<Tenant> findTenantById(Connection connection, String id) throws SQLException {
    return findTenant(connection, "SELECT id, name, created_at FROM tenants WHERE id = ?", id);
  }

  private static Optional<Tenant> findTenant(Connection connection, String sql, String parameter)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, parameter);
      try (ResultSet row = statement.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        return Optional.of(
            new Tenant(
                row.getString("id"), row.getString("name"), Sql.getInstant(row, "created_at")));
      }
    }
  }

  /** Inserts a key unless its hash is stored already; returns whether it inserted. */
  public boolean insertKey(Connection connection, ApiKeyInfo key, String keyHash)
      throws SQLException {
    String sql =
        "INSERT INTO api_keys (id, tenant_id, key_hash, display_prefix, created_at)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (key_hash) DO NOTHING";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, key.id());
      statement.setString(2, key.tenantId());
      statement.setString(3, keyHash);
      statement.setString(4, key.displayPrefix());
      Sql.setInstant(statement, 5, key.createdAt());
      return statement.executeUpdate() == 1;
    }
  }

  public Optional<StoredKey> findKeyByHash(Connection connection, String keyHash)
      throws SQLException {
    String sql =
        "SELECT id, tenant_id, display_prefix, created_at, revoked_at FROM api_keys"
            + " WHERE key_hash = ?";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, keyHash);
      try (ResultSet row = statement.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        return Optional.of(new StoredKey(toKey(row), row.getObject("revoked_at") != null));
      }
    }
  }

  public List<ApiKeyInfo> listActiveKeys(Connection connection, String tenantId)
      throws SQLException {
    String sql =
        "SELECT id, tenant_id, display_prefix, created_at FROM api_keys"
            + " WHERE tenant_id = ? AND revoked_at IS NULL ORDER BY created_at, id";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, tenantId);
      try (ResultSet row = statement.executeQuery()) {
        List<ApiKeyInfo> keys = new ArrayList<>();
        while (row.next()) {
          keys.add(toKey(row));
        }
        return keys;
      }
    }
  }

  public boolean revokeKey(Connection connection, String tenantId, String keyId, Instant now)
      throws SQLException {
    String sql =
        "UPDATE api_keys SET revoked_at = ? WHERE id = ? AND tenant_id = ? AND revoked_at IS NULL";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      Sql.setInstant(statement, 1, now);
      statement.setString(2, keyId);
      statement.setString(3, tenantId);
      return statement.executeUpdate() == 1;
    }
  }

  private static ApiKeyInfo toKey(ResultSet row) throws SQLException {
    return new ApiKeyInfo(
        row.getString("id"),
        row.getString("tenant_id"),
        row.getString("display_prefix"),
        Sql.getInstant(row, "created_at"));
  }
}
