package io.sluice.jobapi.tenant;

import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.tenant.internal.ApiKeyAuthenticator;
import io.sluice.jobapi.tenant.internal.JdbcTenantAdmin;
import io.sluice.jobapi.tenant.internal.KeyCache;
import io.sluice.jobapi.tenant.internal.TenantRepository;
import io.sluice.jobapi.tenant.internal.TenantRequestLimiter;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/** The tenant feature's parts on PostgreSQL, for job-api's composition root and operators. */
public final class Tenants {
  private Tenants() {}

  /** The admin and the authenticator of one job-api instance, sharing its key cache. */
  public record Parts(TenantAdmin admin, Authenticator authenticator) {}

  public static Parts on(
      Database database, TenantSettings settings, SecureRandom random, Clock clock) {
    KeyCache cache = new KeyCache(settings.keyCacheTtl());
    TenantRepository repository = new TenantRepository();
    return new Parts(
        new JdbcTenantAdmin(database, repository, new ApiKeys(random), random, clock, cache),
        new ApiKeyAuthenticator(
            database, repository, cache, new TenantRequestLimiter(settings.defaultLimit()), clock));
  }

  /** An admin without an API instance (no cache to share). */
  public static TenantAdmin admin(Database database, SecureRandom random, Clock clock) {
    return on(database, TenantSettings.defaults().withKeyCacheTtl(Duration.ZERO), random, clock)
        .admin();
  }
}
