package io.sluice.jobapi.tenant.internal;

import io.sluice.jobapi.store.Sql;
import io.sluice.jobapi.tenant.ApiKeyInfo;
import io.sluice.jobapi.tenant.RequestLimit;
import io.sluice.jobapi.tenant.Tenant;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** All SQL on the {@code tenants} and {@code api_keys} tables. Keys appear only as hashes. */
public final class TenantRepository {
  private static final String TENANT_COLUMNS =
      "id, name, created_at, disabled_at, requests_per_second, request_burst";
  private static final String KEY_COLUMNS =
      "id, tenant_id, display_prefix, created_at, expires_at, revoked_at";

  /** A key and its tenant, as the authenticator reads them. */
  public record Credential(ApiKeyInfo key, Tenant tenant) {}

  /** Inserts a tenant unless one with the name exists; returns whether it inserted. */
  public boolean insertTenant(Connection connection, Tenant tenant) throws SQLException {
    String sql =
        "INSERT INTO tenants (id, name, created_at, requests_per_second, request_burst)"
            + " VALUES (?, ?, ?, ?, ?) ON CONFLICT (name) DO NOTHING";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, tenant.id());
      statement.setString(2, tenant.name());
      Sql.setInstant(statement, 3, tenant.createdAt());
      setLimit(statement, 4, tenant.requestLimit());
      return statement.executeUpdate() == 1;
    }
  }

  public Optional<Tenant> findTenantByName(Connection connection, String name) throws SQLException {
    return findTenant(
        connection, "SELECT " + TENANT_COLUMNS + " FROM tenants WHERE name = ?", name);
  }

  public Optional<Tenant> findTenantById(Connection connection, String id) throws SQLException {
    return findTenant(connection, "SELECT " + TENANT_COLUMNS + " FROM tenants WHERE id = ?", id);
  }

  public List<Tenant> listTenants(Connection connection) throws SQLException {
    String sql = "SELECT " + TENANT_COLUMNS + " FROM tenants ORDER BY created_at, id";
    try (PreparedStatement statement = connection.prepareStatement(sql);
        ResultSet row = statement.executeQuery()) {
      List<Tenant> tenants = new ArrayList<>();
      while (row.next()) {
        tenants.add(toTenant(row, ""));
      }
      return tenants;
    }
  }

  /**
   * Sets {@code disabled_at} (keeping an earlier one when disabling); whether the tenant exists.
   */
  public boolean setDisabled(Connection connection, String tenantId, Instant disabledAt)
      throws SQLException {
    String sql =
        disabledAt == null
            ? "UPDATE tenants SET disabled_at = NULL WHERE id = ?"
            : "UPDATE tenants SET disabled_at = COALESCE(disabled_at, ?) WHERE id = ?";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      int index = 1;
      if (disabledAt != null) {
        Sql.setInstant(statement, index++, disabledAt);
      }
      statement.setString(index, tenantId);
      return statement.executeUpdate() == 1;
    }
  }

  /** Makes a tenant an operator or not; whether it exists. */
  public boolean setOperator(Connection connection, String tenantId, boolean operator)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("UPDATE tenants SET operator = ? WHERE id = ?")) {
      statement.setBoolean(1, operator);
      statement.setString(2, tenantId);
      return statement.executeUpdate() == 1;
    }
  }

  /** Whether the tenant is an operator (false when there is no such tenant). */
  public boolean isOperator(Connection connection, String tenantId) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT operator FROM tenants WHERE id = ?")) {
      statement.setString(1, tenantId);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() && row.getBoolean(1);
      }
    }
  }

  /** Sets the tenant's own request limit ({@code null}: the default); whether it exists. */
  public boolean setRequestLimit(Connection connection, String tenantId, RequestLimit limit)
      throws SQLException {
    String sql = "UPDATE tenants SET requests_per_second = ?, request_burst = ? WHERE id = ?";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      setLimit(statement, 1, limit);
      statement.setString(3, tenantId);
      return statement.executeUpdate() == 1;
    }
  }

  /** Sets the tenant's result-cache TTL ({@code null}: the default); whether it exists. */
  public boolean setCacheTtl(Connection connection, String tenantId, Duration ttl)
      throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("UPDATE tenants SET cache_ttl_seconds = ? WHERE id = ?")) {
      statement.setObject(1, ttl == null ? null : ttl.toSeconds());
      statement.setString(2, tenantId);
      return statement.executeUpdate() == 1;
    }
  }

  /** The tenant's own result-cache TTL, if it has one. */
  public Optional<Duration> cacheTtl(Connection connection, String tenantId) throws SQLException {
    try (PreparedStatement statement =
        connection.prepareStatement("SELECT cache_ttl_seconds FROM tenants WHERE id = ?")) {
      statement.setString(1, tenantId);
      try (ResultSet row = statement.executeQuery()) {
        if (!row.next()) {
          return Optional.empty();
        }
        long seconds = row.getLong(1);
        return row.wasNull() ? Optional.empty() : Optional.of(Duration.ofSeconds(seconds));
      }
    }
  }

  private static Optional<Tenant> findTenant(Connection connection, String sql, String parameter)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, parameter);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() ? Optional.of(toTenant(row, "")) : Optional.empty();
      }
    }
  }

  /** Inserts a key unless its hash is stored already; returns whether it inserted. */
  public boolean insertKey(Connection connection, ApiKeyInfo key, String keyHash)
      throws SQLException {
    String sql =
        "INSERT INTO api_keys (id, tenant_id, key_hash, display_prefix, created_at, expires_at)"
            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (key_hash) DO NOTHING";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, key.id());
      statement.setString(2, key.tenantId());
      statement.setString(3, keyHash);
      statement.setString(4, key.displayPrefix());
      Sql.setInstant(statement, 5, key.createdAt());
      Sql.setInstant(statement, 6, key.expiresAt());
      return statement.executeUpdate() == 1;
    }
  }

  public Optional<ApiKeyInfo> findKeyByHash(Connection connection, String keyHash)
      throws SQLException {
    return findKey(
        connection, "SELECT " + KEY_COLUMNS + " FROM api_keys WHERE key_hash = ?", keyHash);
  }

  public Optional<ApiKeyInfo> findKeyById(Connection connection, String keyId) throws SQLException {
    return findKey(connection, "SELECT " + KEY_COLUMNS + " FROM api_keys WHERE id = ?", keyId);
  }

  private static Optional<ApiKeyInfo> findKey(Connection connection, String sql, String parameter)
      throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, parameter);
      try (ResultSet row = statement.executeQuery()) {
        return row.next() ? Optional.of(toKey(row)) : Optional.empty();
      }
    }
  }

  /** The key with this hash and its tenant, in one query (the authenticator's read). */
  public Optional<Credential> findCredential(Connection connection, String keyHash)
      throws SQLException {
    String sql =
        "SELECT k.id, k.tenant_id, k.display_prefix, k.created_at, k.expires_at, k.revoked_at,"
            + " t.id AS t_id, t.name AS t_name, t.created_at AS t_created_at,"
            + " t.disabled_at AS t_disabled_at, t.requests_per_second AS t_requests_per_second,"
            + " t.request_burst AS t_request_burst"
            + " FROM api_keys k JOIN tenants t ON t.id = k.tenant_id WHERE k.key_hash = ?";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      statement.setString(1, keyHash);
      try (ResultSet row = statement.executeQuery()) {
        return row.next()
            ? Optional.of(new Credential(toKey(row), toTenant(row, "t_")))
            : Optional.empty();
      }
    }
  }

  public List<ApiKeyInfo> listActiveKeys(Connection connection, String tenantId)
      throws SQLException {
    return listKeys(connection, tenantId, " AND revoked_at IS NULL");
  }

  public List<ApiKeyInfo> listAllKeys(Connection connection, String tenantId) throws SQLException {
    return listKeys(connection, tenantId, "");
  }

  private static List<ApiKeyInfo> listKeys(Connection connection, String tenantId, String filter)
      throws SQLException {
    String sql =
        "SELECT "
            + KEY_COLUMNS
            + " FROM api_keys WHERE tenant_id = ?"
            + filter
            + " ORDER BY created_at, id";
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

  /** Revokes a key by ID, keeping an earlier revocation; whether the key exists. */
  public boolean revokeKey(Connection connection, String keyId, Instant now) throws SQLException {
    String sql = "UPDATE api_keys SET revoked_at = COALESCE(revoked_at, ?) WHERE id = ?";
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      Sql.setInstant(statement, 1, now);
      statement.setString(2, keyId);
      return statement.executeUpdate() == 1;
    }
  }

  private static ApiKeyInfo toKey(ResultSet row) throws SQLException {
    return new ApiKeyInfo(
        row.getString("id"),
        row.getString("tenant_id"),
        row.getString("display_prefix"),
        Sql.getInstant(row, "created_at"),
        Sql.getInstant(row, "expires_at"),
        Sql.getInstant(row, "revoked_at"));
  }

  private static Tenant toTenant(ResultSet row, String prefix) throws SQLException {
    double perSecond = row.getDouble(prefix + "requests_per_second");
    RequestLimit limit =
        row.wasNull() ? null : new RequestLimit(perSecond, row.getInt(prefix + "request_burst"));
    return new Tenant(
        row.getString(prefix + "id"),
        row.getString(prefix + "name"),
        Sql.getInstant(row, prefix + "created_at"),
        Sql.getInstant(row, prefix + "disabled_at"),
        limit);
  }

  private static void setLimit(PreparedStatement statement, int index, RequestLimit limit)
      throws SQLException {
    if (limit == null) {
      statement.setNull(index, Types.DOUBLE);
      statement.setNull(index + 1, Types.INTEGER);
    } else {
      statement.setDouble(index, limit.perSecond());
      statement.setInt(index + 1, limit.burst());
    }
  }
}
