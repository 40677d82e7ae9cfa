package io.sluice.launcher.limits;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sluice.ratelimit.LimitKey;
import io.sluice.ratelimit.RateLimiter;
import io.sluice.ratelimit.RateLimits;
import io.sluice.ratelimit.postgres.PostgresLimitStore;
import java.util.Map;

/**
 * The rate limiters' shared state in PostgreSQL (schema {@code rate_limiter}): one connection pool
 * and store per process, a {@link RateLimiter} per provider. Every worker instance of a provider
 * account on the same database shares its limits.
 */
public final class SharedLimits implements AutoCloseable {
  /** The account name used when a deployment configures only one account per provider. */
  public static final String DEFAULT_ACCOUNT = "default";

  private final HikariDataSource dataSource;
  private final PostgresLimitStore store;

  public SharedLimits(String jdbcUrl, String user, String password) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(jdbcUrl);
    config.setUsername(user);
    config.setPassword(password);
    config.setMaximumPoolSize(8);
    config.setPoolName("sluice-rate-limits");
    this.dataSource = new HikariDataSource(config);
    this.store = new PostgresLimitStore(dataSource);
    store.migrate();
  }

  /** A limiter for one provider's models, keyed by provider model name. */
  public RateLimiter limiterFor(String provider, Map<String, RateLimits> limitsByModel) {
    RateLimiter.Builder builder = RateLimiter.builder().store(store);
    limitsByModel.forEach(
        (model, limits) -> builder.limits(new LimitKey(provider, DEFAULT_ACCOUNT, model), limits));
    return builder.build();
  }

  @Override
  public void close() {
    dataSource.close();
  }
}
