package io.sluice.jobapi.webhook.internal;

import io.sluice.jobapi.job.Job;
import io.sluice.jobapi.job.JobFinishedListener;
import io.sluice.jobapi.store.Clocks;
import io.sluice.jobapi.store.DatabaseException;
import io.sluice.jobapi.store.Transaction;
import io.sluice.jobapi.webhook.EventType;
import io.sluice.jobapi.webhook.WebhookPayloads;
import io.sluice.jobapi.webhook.WebhookSecret;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Writes a finished job's deliveries in the transaction that records its terminal status: one per
 * enabled endpoint of the tenant that receives the event, and one for the job's one-off webhook
 * (signed with the tenant's default secret, made here when the tenant has none yet).
 */
final class DeliveryEnqueuer implements JobFinishedListener {
  private final DeliveryRepository deliveries = new DeliveryRepository();
  private final TenantSecretRepository tenantSecrets = new TenantSecretRepository();
  private final Keyring keyring;
  private final WebhookIds ids;
  private final SecureRandom random;
  private final Clock clock;
  private final Runnable enqueued;

  /**
   * @param enqueued told, inside the transaction, that it enqueued deliveries
   */
  DeliveryEnqueuer(
      Keyring keyring, WebhookIds ids, SecureRandom random, Clock clock, Runnable enqueued) {
    this.enqueued = enqueued;
    this.keyring = keyring;
    this.ids = ids;
    this.random = random;
    this.clock = clock;
  }

  @Override
  public void finished(Transaction tx, Job job) {
    Optional<EventType> type = EventType.forStatus(job.status());
    if (type.isEmpty()) {
      return;
    }
    try {
      enqueue(tx.connection(), job, type.get(), Clocks.now(clock));
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }

  private void enqueue(Connection c, Job job, EventType type, Instant now) throws SQLException {
    String payload = WebhookPayloads.of(type, job, now);
    int count = deliveries.insertForSubscribers(c, job.tenantId(), job.id(), type, payload, now);
    if (job.webhookUrl() != null) {
      count++;
      WebhookSecret first = WebhookSecret.generate(random);
      tenantSecrets.insertIfAbsent(c, job.tenantId(), keyring.seal(first, job.tenantId()), now);
      deliveries.insert(
          c, ids.delivery(), job.tenantId(), null, job.webhookUrl(), job.id(), type, payload, now);
    }
    if (count > 0) {
      enqueued.run();
    }
  }
}
