package io.sluice.jobapi.cache.internal;

import io.sluice.jobapi.cache.CachePolicy;
import io.sluice.jobapi.job.AnswerCache;
import io.sluice.jobapi.job.CacheKey;
import io.sluice.jobapi.job.JobRequest;
import io.sluice.jobapi.store.DatabaseException;
import io.sluice.jobapi.store.Transaction;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The result cache on PostgreSQL, as the intake sees it. */
public final class JdbcAnswerCache implements AnswerCache {
  private final CachePolicy policy;
  private final CacheRepository repository;
  private final Duration defaultTtl;

  public JdbcAnswerCache(CachePolicy policy, Duration defaultTtl) {
    this.policy = policy;
    this.repository = new CacheRepository();
    this.defaultTtl = defaultTtl;
  }

  @Override
  public Optional<CacheKey> keyOf(JobRequest request) {
    return policy.keyOf(request);
  }

  @Override
  public Optional<String> find(Transaction tx, String tenantId, CacheKey key, Instant now) {
    try {
      return repository.find(tx.connection(), tenantId, key, defaultTtl, now);
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  @Override
  public void expect(Transaction tx, List<Expected> jobs) {
    try {
      repository.expect(tx.connection(), jobs);
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }
}
