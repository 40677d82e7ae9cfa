package io.sluice.jobapi.cache.internal;

import io.sluice.jobapi.store.Clocks;
import io.sluice.jobapi.store.Database;
import io.sluice.lifecycle.BackgroundLoop;
import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired cached answers in short transactions of {@value #BATCH_SIZE} rows (the answers'
 * jobs stay). Several job-api instances may purge at once. Runs as a {@link BackgroundLoop} step.
 */
public final class CachePurge {
  private static final Logger LOG = LoggerFactory.getLogger(CachePurge.class);
  static final int BATCH_SIZE = 1_000;

  private final Database database;
  private final CacheRepository repository = new CacheRepository();
  private final Duration defaultTtl;
  private final Clock clock;

  public CachePurge(Database database, Duration defaultTtl, Clock clock) {
    this.database = database;
    this.defaultTtl = defaultTtl;
    this.clock = clock;
  }

  /** One purge, then idle until the next interval. */
  public BackgroundLoop.Next step() {
    int deleted = purgeOnce();
    if (deleted > 0) {
      LOG.info("deleted {} expired cached answers", deleted);
    }
    return BackgroundLoop.Next.IDLE;
  }

  /** Deletes every answer expired by now; returns how many. */
  public int purgeOnce() {
    int total = 0;
    int deleted;
    do {
      deleted =
          database.inTransaction(
              c -> repository.deleteExpired(c, defaultTtl, Clocks.now(clock), BATCH_SIZE));
      total += deleted;
    } while (deleted == BATCH_SIZE);
    return total;
  }
}
