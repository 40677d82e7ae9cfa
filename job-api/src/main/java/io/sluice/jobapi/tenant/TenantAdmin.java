package io.sluice.jobapi.tenant;

import java.util.List;
import java.util.Optional;

/** Managing tenants and their API keys (used by the launcher and operators, not over HTTP). */
public interface TenantAdmin {

  /**
   * Creates a tenant.
   *
   * @throws IllegalArgumentException when the name is blank or already taken
   */
  Tenant createTenant(String name);

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
   * Registers a key the caller chose (e.g. a stable development key) for a tenant. Registering the
   * same key for the same tenant again changes nothing and returns the stored key.
   *
   * @throws IllegalArgumentException when the key is malformed, the tenant does not exist, or the
   *     key already belongs to another tenant
   */
  ApiKeyInfo registerKey(String tenantId, String plaintextKey);

  /** The tenant's active keys (without plaintexts). */
  List<ApiKeyInfo> listKeys(String tenantId);

  /** Revokes a key by its ID; requests with it get 401 from then on. Returns whether it existed. */
  boolean revokeKey(String tenantId, String keyId);
}
