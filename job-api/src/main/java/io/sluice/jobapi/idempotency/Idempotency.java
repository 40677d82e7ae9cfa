package io.sluice.jobapi.idempotency;

import io.sluice.jobapi.idempotency.internal.IdempotencyPurge;
import io.sluice.jobapi.idempotency.internal.IdempotencyRepository;
import io.sluice.jobapi.store.Database;
import io.sluice.lifecycle.BackgroundLoop;
import java.time.Clock;
import java.time.Duration;

/** The idempotency feature's parts, for job-api's composition root. */
public final class Idempotency {
  private Idempotency() {}

  /** The keys in PostgreSQL ({@code idempotency_keys}). */
  public static IdempotencyKeys keys() {
    return new IdempotencyRepository();
  }

  /**
   * A loop, not yet started, that deletes expired keys every {@code interval} (and at its start),
   * so the table holds about one retention's worth of keys.
   */
  public static BackgroundLoop purgeLoop(Database database, Clock clock, Duration interval) {
    IdempotencyPurge purge = new IdempotencyPurge(database, new IdempotencyRepository(), clock);
    return new BackgroundLoop(
        "idempotency purge", BackgroundLoop.Settings.idleWait(interval), purge::step);
  }
}
