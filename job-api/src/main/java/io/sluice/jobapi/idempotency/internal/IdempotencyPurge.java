package io.sluice.jobapi.idempotency.internal;

import io.sluice.jobapi.store.Database;
import io.sluice.lifecycle.BackgroundLoop;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired Idempotency-Keys in short transactions of {@value #BATCH_SIZE} rows, so the table
 * holds about one retention's worth of keys instead of growing with every nightly run. Several
 * job-api instances may purge at once (they skip each other's rows). Runs as a {@link
 * BackgroundLoop} step.
 */
public final class IdempotencyPurge {
  private static final Logger LOG = LoggerFactory.getLogger(IdempotencyPurge.class);
  static final int BATCH_SIZE = 1_000;

  private final Database database;
  private final IdempotencyRepository keys;
  private final Clock clock;

  public IdempotencyPurge(Database database, IdempotencyRepository keys, Clock clock) {
    this.database = database;
    this.keys = keys;
    this.clock = clock;
  }

  /** One purge, then idle until the next interval. */
  public BackgroundLoop.Next step() {
    int deleted = purgeOnce();
    if (deleted > 0) {
      LOG.info("deleted {} expired Idempotency-Keys", deleted);
    }
    return BackgroundLoop.Next.IDLE;
  }

  /** Deletes every key expired by now; returns how many. */
  public int purgeOnce() {
    int total = 0;
    int deleted;
    do {
      deleted =
          database.inTransaction(
              connection -> keys.deleteExpired(connection, clock.instant(), BATCH_SIZE));
      total += deleted;
    } while (deleted == BATCH_SIZE);
    return total;
  }
}
