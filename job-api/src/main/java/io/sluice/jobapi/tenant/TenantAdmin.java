package io.sluice.jobapi.tenant;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Managing tenants and their API keys (used by the launcher and operators, not over HTTP: {@code
 * sluice admin}). Changes reach every API instance within {@link TenantSettings#keyCacheTtl()}.
 */
public interface TenantAdmin {

  /**
   * Creates a tenant.
   *
   * @throws IllegalArgumentException when the name is blank or already taken
   */
  Tenant createTenant(String name);

  /**
   * Creates a tenant with its own request limit ({@code null}: job-api's default).
   *
   * @throws IllegalArgumentException when the name is blank or already taken
   */
  Tenant createTenant(String name, RequestLimit requestLimit);

  /** Every tenant, oldest first. */
  List<Tenant> listTenants();

  Optional<Tenant> findTenantById(String id);

  /**
   * Disables a tenant: every request with one of its keys is refused (401) from then on; its jobs
   * stay. Disabling twice keeps the first time. Empty when there is no such tenant.
   */
  Optional<Tenant> disableTenant(String tenantId);

  /** Enables a disabled tenant again. Empty when there is no such tenant. */
  Optional<Tenant> enableTenant(String tenantId);

  /**
   * Sets a tenant's own request limit; {@code null} returns it to job-api's default. Empty when
   * there is no such tenant.
   */
  Optional<Tenant> setRequestLimit(String tenantId, RequestLimit requestLimit);

  /**
   * Sets how long the result cache serves the tenant's answers ({@code docs/cache.md}): {@code
   * null} returns it to the deployment's default, {@link java.time.Duration#ZERO} keeps the
   * tenant's jobs out of the cache. Applies at once, to answers kept before too. False when there
   * is no such tenant.
   */
  boolean setCacheTtl(String tenantId, java.time.Duration ttl);

  /** The tenant's own result-cache TTL; empty for the deployment's default or no such tenant. */
  Optional<java.time.Duration> cacheTtl(String tenantId);

  /**
   * Makes a tenant an operator (its keys see every tenant's aggregates on the dashboard, {@code GET
   * /v1/dashboard}) or an ordinary tenant again. Its own jobs stay its own: an operator key still
   * reads, cancels and is billed only for its tenant's jobs. Empty when there is no such tenant.
   */
  Optional<Tenant> setOperator(String tenantId, boolean operator);

  /** Whether the tenant is an operator (false for an unknown tenant). */
  boolean isOperator(String tenantId);

  /** The tenant with this name, created if it does not exist yet. Safe to call at every start. */
  Tenant ensureTenant(String name);

  Optional<Tenant> findTenant(String name);

  /**
   * Issues a new random key for a tenant. The plaintext is in the result and nowhere else.
   *
   * @throws IllegalArgumentException when the tenant does not exist
   */
  IssuedApiKey issueKey(String tenantId);

  /**
   * Issues a new random key that stops working at {@code expiresAt} ({@code null}: never).
   *
   * @throws IllegalArgumentException when the tenant does not exist or {@code expiresAt} is not in
   *     the future
   */
  IssuedApiKey issueKey(String tenantId, Instant expiresAt);

  /**
   * Registers a key the caller chose (e.g. a stable development key) for a tenant. Registering the
   * same key for the same tenant again changes nothing and returns the stored key.
   *
   * @throws IllegalArgumentException when the key is malformed, the tenant does not exist, or the
   *     key already belongs to another tenant
   */
  ApiKeyInfo registerKey(String tenantId, String plaintextKey);

  /** The tenant's active keys (without plaintexts). */
  List<ApiKeyInfo> listKeys(String tenantId);

  /** Every key of the tenant, revoked and expired ones included (without plaintexts). */
  List<ApiKeyInfo> listAllKeys(String tenantId);

  /** Revokes a key by its ID; requests with it get 401 from then on. Returns whether it existed. */
  boolean revokeKey(String tenantId, String keyId);

  /**
   * Revokes a key by its ID alone (revoking twice keeps the first time). Empty when there is no
   * such key.
   */
  Optional<ApiKeyInfo> revokeKey(String keyId);
}
