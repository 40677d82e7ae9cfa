package io.sluice.jobapi.cache.internal;

import io.sluice.jobapi.job.Job;
import io.sluice.jobapi.job.JobUpdatedListener;
import io.sluice.jobapi.store.Clocks;
import io.sluice.jobapi.store.DatabaseException;
import io.sluice.jobapi.store.Transaction;
import io.sluice.schemas.job.JobStatus;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;

/**
 * Keeps an expected job's answer when it succeeds, in the transaction that stores the success, and
 * forgets a job that ended any other way. A job answered from the cache is never expected.
 */
public final class AnswerKeeper implements JobUpdatedListener {
  private final CacheRepository repository = new CacheRepository();
  private final Duration defaultTtl;
  private final Clock clock;

  public AnswerKeeper(Duration defaultTtl, Clock clock) {
    this.defaultTtl = defaultTtl;
    this.clock = clock;
  }

  @Override
  public void updated(Transaction tx, Job before, Job after) {
    if (before.status().isTerminal() || !after.status().isTerminal()) {
      return;
    }
    try {
      if (after.status() == JobStatus.SUCCEEDED) {
        repository.keep(tx.connection(), after.id(), defaultTtl, Clocks.now(clock));
      }
      repository.forgetPending(tx.connection(), after.id());
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }
}
