package io.sluice.jobapi.tenant;

import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.tenant.internal.ApiKeyAuthenticator;
import io.sluice.jobapi.tenant.internal.JdbcTenantAdmin;
import io.sluice.jobapi.tenant.internal.TenantRepository;
import java.security.SecureRandom;
import java.time.Clock;

/** The tenant feature's parts on PostgreSQL, for job-api's composition root. */
public final class Tenants {
  private Tenants() {}

  public static TenantAdmin admin(Database database, SecureRandom random, Clock clock) {
    return new JdbcTenantAdmin(
        database, new TenantRepository(), new ApiKeys(random), random, clock);
  }

  public static Authenticator authenticator(Database database) {
    return new ApiKeyAuthenticator(database, new TenantRepository());
  }
}
