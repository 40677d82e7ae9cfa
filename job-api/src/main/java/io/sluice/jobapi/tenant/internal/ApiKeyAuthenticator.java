package io.sluice.jobapi.tenant.internal;

import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.tenant.ApiKeys;
import io.sluice.jobapi.tenant.AuthenticationFailedException;
import io.sluice.jobapi.tenant.Authenticator;
import java.util.Locale;

/** Maps an {@code Authorization: Bearer <key>} header to the tenant that owns the key. */
public final class ApiKeyAuthenticator implements Authenticator {
  private static final String SCHEME = "bearer ";

  private final Database database;
  private final TenantRepository tenants;

  public ApiKeyAuthenticator(Database database, TenantRepository tenants) {
    this.database = database;
    this.tenants = tenants;
  }

  @Override
  public String tenantOf(String authorizationHeader) {
    String key = bearerToken(authorizationHeader);
    String hash = ApiKeys.hash(key);
    return database
        .inTransaction(c -> tenants.findKeyByHash(c, hash))
        .filter(stored -> !stored.revoked())
        .map(stored -> stored.info().tenantId())
        .orElseThrow(() -> new AuthenticationFailedException("invalid API key"));
  }

  private static String bearerToken(String header) {
    if (header == null || header.isBlank()) {
      throw new AuthenticationFailedException(
          "missing API key: send the header 'Authorization: Bearer <key>'");
    }
    if (!header.toLowerCase(Locale.ROOT).startsWith(SCHEME)) {
      throw new AuthenticationFailedException(
          "the Authorization header must use the Bearer scheme: 'Authorization: Bearer <key>'");
    }
    String token = header.substring(SCHEME.length()).strip();
    if (token.isEmpty()) {
      throw new AuthenticationFailedException("missing API key after 'Bearer'");
    }
    return token;
  }
}
