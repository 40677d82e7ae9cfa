package io.sluice.jobapi.webhook.internal;

import io.sluice.jobapi.store.Clocks;
import io.sluice.jobapi.store.Database;
import io.sluice.lifecycle.BackgroundLoop;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes finished deliveries (succeeded or dead) not changed for the retention, with their
 * attempts, in short transactions of {@value #BATCH_SIZE}; a pending or retrying delivery is never
 * deleted, however old. Several job-api instances may purge at once (they skip each other's rows).
 * Runs as a {@link BackgroundLoop} step every {@link #INTERVAL}.
 */
final class DeliveryPurge {
  private static final Logger LOG = LoggerFactory.getLogger(DeliveryPurge.class);
  static final int BATCH_SIZE = 1_000;
  static final Duration INTERVAL = Duration.ofHours(1);

  private final Database database;
  private final DeliveryRepository deliveries = new DeliveryRepository();
  private final Duration retention;
  private final Clock clock;

  DeliveryPurge(Database database, Duration retention, Clock clock) {
    this.database = database;
    this.retention = retention;
    this.clock = clock;
  }

  /** One purge, then idle until the next interval. */
  BackgroundLoop.Next step() {
    int deleted = purgeOnce();
    if (deleted > 0) {
      LOG.info("deleted {} finished webhook deliveries older than {}", deleted, retention);
    }
    return BackgroundLoop.Next.IDLE;
  }

  /** Deletes every finished delivery unchanged since before the retention; returns how many. */
  int purgeOnce() {
    Instant cutoff = Clocks.now(clock).minus(retention);
    int total = 0;
    int deleted;
    do {
      deleted = database.inTransaction(c -> deliveries.deleteFinished(c, cutoff, BATCH_SIZE));
      total += deleted;
    } while (deleted == BATCH_SIZE);
    return total;
  }
}
