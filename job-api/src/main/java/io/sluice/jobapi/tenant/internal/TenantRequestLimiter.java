package io.sluice.jobapi.tenant.internal;

import io.sluice.jobapi.tenant.RequestLimit;
import io.sluice.jobapi.tenant.RequestLimitExceededException;
import io.sluice.jobapi.tenant.Tenant;
import io.sluice.jobapi.tenant.TokenBucket;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * One {@link TokenBucket} per tenant, in this instance's memory: the request limit is per API
 * instance. Each take is atomic per tenant ({@link ConcurrentMap#compute}); tenants never wait on
 * each other.
 */
public final class TenantRequestLimiter {
  private final Optional<RequestLimit> defaultLimit;
  private final ConcurrentMap<String, TokenBucket> buckets = new ConcurrentHashMap<>();

  public TenantRequestLimiter(Optional<RequestLimit> defaultLimit) {
    this.defaultLimit = defaultLimit;
  }

  /**
   * Takes one request from the tenant's bucket.
   *
   * @throws RequestLimitExceededException when the bucket is empty
   */
  public void take(Tenant tenant, Instant now) {
    Optional<RequestLimit> limit = tenant.ownRequestLimit().or(() -> defaultLimit);
    if (limit.isEmpty()) {
      return;
    }
    TokenBucket.Take[] taken = new TokenBucket.Take[1];
    buckets.compute(
        tenant.id(),
        (id, bucket) -> {
          TokenBucket current = bucket == null ? TokenBucket.full(limit.get(), now) : bucket;
          taken[0] = current.take(limit.get(), now);
          return taken[0].next();
        });
    if (!taken[0].granted()) {
      throw new RequestLimitExceededException(
          tenant.id(), limit.get(), taken[0].retryAfterSeconds());
    }
  }
}
