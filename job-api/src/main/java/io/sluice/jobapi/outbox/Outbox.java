package io.sluice.jobapi.outbox;

import io.sluice.jobapi.outbox.internal.OutboxRelay;
import io.sluice.jobapi.outbox.internal.OutboxRepository;
import io.sluice.jobapi.store.Database;
import io.sluice.lifecycle.BackgroundLoop;
import java.time.Duration;
import org.apache.kafka.clients.producer.Producer;

/** The transactional outbox's parts, for job-api's composition root. */
public final class Outbox {
  private Outbox() {}

  /** The writer that adds records to the {@code outbox} table. */
  public static OutboxWriter writer() {
    return new OutboxRepository();
  }

  /**
   * The relay as a loop, not yet started: publishes outbox rows with {@code producer} and deletes
   * them once Kafka acknowledged them. {@link BackgroundLoop#wake} after a commit makes it look at
   * once; otherwise it looks every {@code pollInterval} for rows other instances left.
   */
  public static BackgroundLoop relayLoop(
      Database database, Producer<String, String> producer, Duration pollInterval) {
    OutboxRelay relay = new OutboxRelay(database, new OutboxRepository(), producer);
    return new BackgroundLoop(
        "outbox relay", BackgroundLoop.Settings.idleWait(pollInterval), relay::step);
  }

  /** How many rows wait in the outbox now (one query; for the backlog gauge). */
  public static long backlog(Database database) {
    OutboxRepository repository = new OutboxRepository();
    return database.inTransaction(repository::count);
  }
}
