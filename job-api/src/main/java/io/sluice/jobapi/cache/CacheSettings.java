package io.sluice.jobapi.cache;

import java.time.Duration;
import java.util.Objects;

/**
 * The result cache's deployment settings.
 *
 * @param enabled whether jobs are answered from and kept in the cache at all
 * @param defaultTtl how long an answer is kept for a tenant without its own TTL
 * @param purgeInterval how often expired answers are deleted ({@link Duration#ZERO}: never)
 */
public record CacheSettings(boolean enabled, Duration defaultTtl, Duration purgeInterval) {
  public static final Duration DEFAULT_TTL = Duration.ofHours(24);
  public static final Duration DEFAULT_PURGE_INTERVAL = Duration.ofMinutes(10);

  public CacheSettings {
    Objects.requireNonNull(defaultTtl, "defaultTtl");
    Objects.requireNonNull(purgeInterval, "purgeInterval");
    if (defaultTtl.isNegative() || purgeInterval.isNegative()) {
      throw new IllegalArgumentException("cache durations must not be negative");
    }
  }

  public static CacheSettings defaults() {
    return new CacheSettings(true, DEFAULT_TTL, DEFAULT_PURGE_INTERVAL);
  }

  public CacheSettings withEnabled(boolean on) {
    return new CacheSettings(on, defaultTtl, purgeInterval);
  }

  public CacheSettings withDefaultTtl(Duration ttl) {
    return new CacheSettings(enabled, ttl, purgeInterval);
  }

  public CacheSettings withPurgeInterval(Duration interval) {
    return new CacheSettings(enabled, defaultTtl, interval);
  }
}
