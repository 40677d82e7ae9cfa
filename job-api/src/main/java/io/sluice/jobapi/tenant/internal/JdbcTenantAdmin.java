package io.sluice.jobapi.tenant.internal;

import io.sluice.jobapi.store.Clocks;
import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.tenant.ApiKeyInfo;
import io.sluice.jobapi.tenant.ApiKeys;
import io.sluice.jobapi.tenant.IssuedApiKey;
import io.sluice.jobapi.tenant.RequestLimit;
import io.sluice.jobapi.tenant.Tenant;
import io.sluice.jobapi.tenant.TenantAdmin;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
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
  private final KeyCache cache;

  public JdbcTenantAdmin(
      Database database,
      TenantRepository tenants,
      ApiKeys apiKeys,
      SecureRandom random,
      Clock clock,
      KeyCache cache) {
    this.database = database;
    this.tenants = tenants;
    this.apiKeys = apiKeys;
    this.random = random;
    this.clock = clock;
    this.cache = cache;
  }

  @Override
  public Tenant createTenant(String name) {
    return createTenant(name, null);
  }

  @Override
  public Tenant createTenant(String name, RequestLimit requestLimit) {
    Tenant tenant = newTenant(name, requestLimit);
    boolean inserted = database.inTransaction(c -> tenants.insertTenant(c, tenant));
    if (!inserted) {
      throw new IllegalArgumentException("a tenant named '" + name + "' exists already");
    }
    LOG.info("created tenant {} ({})", tenant.id(), tenant.name());
    return tenant;
  }

  @Override
  public Tenant ensureTenant(String name) {
    Tenant candidate = newTenant(name, null);
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
  public List<Tenant> listTenants() {
    return database.inTransaction(tenants::listTenants);
  }

  @Override
  public Optional<Tenant> findTenantById(String id) {
    return database.inTransaction(c -> tenants.findTenantById(c, id));
  }

  @Override
  public Optional<Tenant> disableTenant(String tenantId) {
    Optional<Tenant> tenant = changeTenant(tenantId, c -> tenants.setDisabled(c, tenantId, now()));
    tenant.ifPresent(t -> LOG.info("disabled tenant {} ({})", t.id(), t.name()));
    return tenant;
  }

  @Override
  public Optional<Tenant> enableTenant(String tenantId) {
    Optional<Tenant> tenant = changeTenant(tenantId, c -> tenants.setDisabled(c, tenantId, null));
    tenant.ifPresent(t -> LOG.info("enabled tenant {} ({})", t.id(), t.name()));
    return tenant;
  }

  @Override
  public Optional<Tenant> setOperator(String tenantId, boolean operator) {
    Optional<Tenant> tenant =
        changeTenant(tenantId, c -> tenants.setOperator(c, tenantId, operator));
    tenant.ifPresent(
        t -> LOG.info("tenant {} ({}) is {} operator", t.id(), t.name(), operator ? "an" : "no"));
    return tenant;
  }

  @Override
  public boolean isOperator(String tenantId) {
    return database.inTransaction(c -> tenants.isOperator(c, tenantId));
  }

  @Override
  public Optional<Tenant> setRequestLimit(String tenantId, RequestLimit requestLimit) {
    Optional<Tenant> tenant =
        changeTenant(tenantId, c -> tenants.setRequestLimit(c, tenantId, requestLimit));
    tenant.ifPresent(
        t ->
            LOG.info(
                "request limit of tenant {} is now {}",
                t.id(),
                requestLimit == null ? "the default" : requestLimit));
    return tenant;
  }

  @Override
  public boolean setCacheTtl(String tenantId, Duration ttl) {
    if (ttl != null && ttl.isNegative()) {
      throw new IllegalArgumentException("a cache TTL must not be negative, got " + ttl);
    }
    boolean found = database.inTransaction(c -> tenants.setCacheTtl(c, tenantId, ttl));
    if (found) {
      LOG.info(
          "result cache TTL of tenant {} is now {}",
          tenantId,
          ttl == null ? "the default" : ttl.toSeconds() + " s");
    }
    return found;
  }

  @Override
  public Optional<Duration> cacheTtl(String tenantId) {
    return database.inTransaction(c -> tenants.cacheTtl(c, tenantId));
  }

  private Optional<Tenant> changeTenant(String tenantId, Database.Work<Boolean> change) {
    Optional<Tenant> tenant =
        database.inTransaction(
            c -> change.run(c) ? tenants.findTenantById(c, tenantId) : Optional.empty());
    cache.clear();
    return tenant;
  }

  @Override
  public IssuedApiKey issueKey(String tenantId) {
    return issueKey(tenantId, null);
  }

  @Override
  public IssuedApiKey issueKey(String tenantId, Instant expiresAt) {
    if (expiresAt != null && !expiresAt.isAfter(clock.instant())) {
      throw new IllegalArgumentException("a key's expiry must be in the future, got " + expiresAt);
    }
    String plaintext = apiKeys.generate();
    ApiKeyInfo info = newKeyInfo(tenantId, plaintext, expiresAt);
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
    ApiKeyInfo candidate = newKeyInfo(tenantId, plaintextKey, null);
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
    ApiKeyInfo stored = tenants.findKeyByHash(c, hash).orElseThrow();
    if (!stored.tenantId().equals(tenantId)) {
      throw new IllegalArgumentException("this API key is already registered for another tenant");
    }
    if (stored.revokedAt() != null) {
      throw new IllegalArgumentException(
          "this API key (" + stored.id() + ") was revoked and cannot be registered again");
    }
    return stored;
  }

  @Override
  public List<ApiKeyInfo> listKeys(String tenantId) {
    return database.inTransaction(c -> tenants.listActiveKeys(c, tenantId));
  }

  @Override
  public List<ApiKeyInfo> listAllKeys(String tenantId) {
    return database.inTransaction(c -> tenants.listAllKeys(c, tenantId));
  }

  @Override
  public Optional<ApiKeyInfo> revokeKey(String keyId) {
    Optional<ApiKeyInfo> key =
        database.inTransaction(
            c ->
                tenants.revokeKey(c, keyId, now())
                    ? tenants.findKeyById(c, keyId)
                    : Optional.empty());
    cache.clear();
    key.ifPresent(k -> LOG.info("revoked API key {} of tenant {}", k.id(), k.tenantId()));
    return key;
  }

  @Override
  public boolean revokeKey(String tenantId, String keyId) {
    boolean revoked =
        database.inTransaction(c -> tenants.revokeKey(c, tenantId, keyId, Clocks.now(clock)));
    cache.clear();
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

  private Tenant newTenant(String name, RequestLimit requestLimit) {
    if (name == null || name.isBlank() || name.length() > 200) {
      throw new IllegalArgumentException("a tenant name must be 1 to 200 characters");
    }
    return new Tenant(randomId("ten_"), name, now(), null, requestLimit);
  }

  private ApiKeyInfo newKeyInfo(String tenantId, String plaintext, Instant expiresAt) {
    return new ApiKeyInfo(
        randomId("key_"),
        tenantId,
        ApiKeys.displayPrefix(plaintext),
        now(),
        expiresAt == null ? null : expiresAt.truncatedTo(ChronoUnit.MILLIS),
        null);
  }

  private Instant now() {
    return Clocks.now(clock);
  }

  private String randomId(String prefix) {
    byte[] bytes = new byte[12];
    random.nextBytes(bytes);
    return prefix + HexFormat.of().formatHex(bytes);
  }
}
