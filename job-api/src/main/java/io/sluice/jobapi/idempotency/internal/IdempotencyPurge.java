package io.sluice.jobapi.idempotency.internal;

import io.sluice.jobapi.internal.Database;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes expired Idempotency-Keys on a schedule, in short transactions of {@value #BATCH_SIZE}
 * rows, so the table holds about one retention's worth of keys instead of growing with every
 * nightly run. Several job-api instances may purge at once (they skip each other's rows).
 */
public final class IdempotencyPurge implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(IdempotencyPurge.class);
  static final int BATCH_SIZE = 1_000;

  private final Database database;
  private final IdempotencyRepository keys;
  private final Clock clock;
  private final ScheduledExecutorService scheduler;

  public IdempotencyPurge(Database database, IdempotencyRepository keys, Clock clock) {
    this.database = database;
    this.keys = keys;
    this.clock = clock;
    this.scheduler =
        Executors.newSingleThreadScheduledExecutor(
            runnable -> {
              Thread thread = new Thread(runnable, "sluice-job-api-idempotency-purge");
              thread.setDaemon(true);
              return thread;
            });
  }

  /** Purges every {@code interval}, the first time after one interval. */
  public void start(Duration interval) {
    long millis = interval.toMillis();
    scheduler.scheduleWithFixedDelay(this::purgeLogged, millis, millis, TimeUnit.MILLISECONDS);
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

  private void purgeLogged() {
    try {
      int deleted = purgeOnce();
      if (deleted > 0) {
        LOG.info("deleted {} expired Idempotency-Keys", deleted);
      }
    } catch (RuntimeException e) {
      LOG.warn("purging expired Idempotency-Keys failed ({}); trying again later", e.getMessage());
    }
  }

  @Override
  public void close() {
    scheduler.shutdownNow();
  }
}
