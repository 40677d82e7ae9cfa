package io.sluice.jobapi.tenant;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * How job-api authenticates and limits tenants. Part of {@code JobApiSettings} (setting {@code
 * tenants}), which reports {@link #problems()} with the other settings.
 *
 * @param defaultRequestLimit the request limit of a tenant without its own, per API instance;
 *     {@code null}: such tenants are not limited
 * @param keyCacheTtl how long an instance trusts what it read about an API key (its tenant, whether
 *     it is revoked or expired, whether the tenant is disabled, the tenant's limit) before reading
 *     it again: a revoked key, a disabled tenant or a new limit takes effect on every instance
 *     within this time. Zero: read on every request. At most {@link #MAX_KEY_CACHE_TTL}.
 */
public record TenantSettings(RequestLimit defaultRequestLimit, Duration keyCacheTtl) {
  public static final Duration DEFAULT_KEY_CACHE_TTL = Duration.ofSeconds(2);
  public static final Duration MAX_KEY_CACHE_TTL = Duration.ofSeconds(60);

  /** No default request limit; keys cached for {@link #DEFAULT_KEY_CACHE_TTL}. */
  public static TenantSettings defaults() {
    return new TenantSettings(null, DEFAULT_KEY_CACHE_TTL);
  }

  public TenantSettings withDefaultRequestLimit(RequestLimit limit) {
    return new TenantSettings(limit, keyCacheTtl);
  }

  public TenantSettings withKeyCacheTtl(Duration ttl) {
    return new TenantSettings(defaultRequestLimit, ttl);
  }

  public Optional<RequestLimit> defaultLimit() {
    return Optional.ofNullable(defaultRequestLimit);
  }

  /** What is wrong with these settings, each naming its setting; empty when they are fine. */
  public List<String> problems() {
    List<String> problems = new ArrayList<>();
    if (keyCacheTtl == null
        || keyCacheTtl.isNegative()
        || keyCacheTtl.compareTo(MAX_KEY_CACHE_TTL) > 0) {
      problems.add("tenants.keyCacheTtl must be 0 to 60 seconds");
    }
    return problems;
  }
}
