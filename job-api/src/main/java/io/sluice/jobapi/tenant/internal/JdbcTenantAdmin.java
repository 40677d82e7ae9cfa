package io.sluice.jobapi.tenant.internal;

import io.sluice.jobapi.store.Clocks;
import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.tenant.ApiKeyInfo;
import io.sluice.jobapi.tenant.ApiKeys;
import io.sluice.jobapi.tenant.IssuedApiKey;
import io.sluice.jobapi.tenant.Tenant;
import io.sluice.jobapi.tenant.TenantAdmin;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** {@link TenantAdmin} on PostgreSQL. Logs key IDs and display prefixes, never keys. */
public final class JdbcTenantAdmin implements TenantAdmin {
  private static final Logger LOG = LoggerFactory.getLogger(JdbcTenantAdmin.class);

  private final Database database;
  private final TenantRepository tenants;
  private final ApiKeys apiKeys;
  private final SecureRandom random;
  private final Clock clock;

  public JdbcTenantAdmin(
      Database database,
      TenantRepository tenants,
      ApiKeys apiKeys,
      SecureRandom random,
      Clock clock) {
    this.database = database;
    this.tenants = tenants;
    this.apiKeys = apiKeys;
    this.random = random;
    this.clock = clock;
  }

  @Override
  public Tenant createTenant(String name) {
    Tenant tenant = newTenant(name);
    boolean inserted = database.inTransaction(c -> tenants.insertTenant(c, tenant));
    if (!inserted) {
      throw new IllegalArgumentException("a tenant named '" + name + "' exists already");
    }
    LOG.info("created tenant {} ({})", tenant.id(), tenant.name());
    return tenant;
  }

  @Override
  public Tenant ensureTenant(String name) {
    Tenant candidate = newTenant(name);
    return database.inTransaction(
        c -> {
          if (tenants.insertTenant(c, candidate)) {
            LOG.info("created tenant {} ({})", candidate.id(), candidate.name());
            return candidate;
          }
          return tenants.findTenantByName(c, name).orElseThrow();
        });
  }

  @Override
  public Optional<Tenant> findTenant(String name) {
    return database.inTransaction(c -> tenants.findTenantByName(c, name));
  }

  @Override
  public IssuedApiKey issueKey(String tenantId) {
    String plaintext = apiKeys.generate();
    ApiKeyInfo info = newKeyInfo(tenantId, plaintext);
    database.inTransaction(
        c -> {
          requireTenant(c, tenantId);
          return tenants.insertKey(c, info, ApiKeys.hash(plaintext));
        });
    LOG.info("issued API key {} ({}...) for tenant {}", info.id(), info.displayPrefix(), tenantId);
    return new IssuedApiKey(plaintext, info);
  }

  @Override
  public ApiKeyInfo registerKey(String tenantId, String plaintextKey) {
    ApiKeys.requireWellFormed(plaintextKey);
    String hash = ApiKeys.hash(plaintextKey);
    ApiKeyInfo candidate = newKeyInfo(tenantId, plaintextKey);
    return database.inTransaction(
        c -> {
          requireTenant(c, tenantId);
          if (tenants.insertKey(c, candidate, hash)) {
            LOG.info("registered API key {} for tenant {}", candidate.id(), tenantId);
            return candidate;
          }
          return existingKeyOf(c, tenantId, hash);
        });
  }

  private ApiKeyInfo existingKeyOf(Connection c, String tenantId, String hash) throws SQLException {
    TenantRepository.StoredKey stored = tenants.findKeyByHash(c, hash).orElseThrow();
    if (!stored.info().tenantId().equals(tenantId)) {
      throw new IllegalArgumentException("this API key is already registered for another tenant");
    }
    if (stored.revoked()) {
      throw new IllegalArgumentException(
          "this API key (" + stored.info().id() + ") was revoked and cannot be registered again");
    }
    return stored.info();
  }

  @Override
  public List<ApiKeyInfo> listKeys(String tenantId) {
    return database.inTransaction(c -> tenants.listActiveKeys(c, tenantId));
  }

  @Override
  public boolean revokeKey(String tenantId, String keyId) {
    boolean revoked =
        database.inTransaction(c -> tenants.revokeKey(c, tenantId, keyId, Clocks.now(clock)));
    if (revoked) {
      LOG.info("revoked API key {} of tenant {}", keyId, tenantId);
    }
    return revoked;
  }

  private void requireTenant(Connection c, String tenantId) throws SQLException {
    if (tenants.findTenantById(c, tenantId).isEmpty()) {
      throw new IllegalArgumentException("no tenant with id '" + tenantId + "'");
    }
  }

  private Tenant newTenant(String name) {
    if (name == null || name.isBlank() || name.length() > 200) {
      throw new IllegalArgumentException("a tenant name must be 1 to 200 characters");
    }
    return new Tenant(randomId("ten_"), name, Clocks.now(clock));
  }

  private ApiKeyInfo newKeyInfo(String tenantId, String plaintext) {
    return new ApiKeyInfo(
        randomId("key_"), tenantId, ApiKeys.displayPrefix(plaintext), Clocks.now(clock));
  }

  private String randomId(String prefix) {
    byte[] bytes = new byte[12];
    random.nextBytes(bytes);
    return prefix + HexFormat.of().formatHex(bytes);
  }
}
