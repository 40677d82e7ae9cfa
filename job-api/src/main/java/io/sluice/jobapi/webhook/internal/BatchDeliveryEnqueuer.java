package io.sluice.jobapi.webhook.internal;

import io.sluice.jobapi.bulk.batches.Batch;
import io.sluice.jobapi.bulk.batches.BatchEndedListener;
import io.sluice.jobapi.bulk.batches.RequestCounts;
import io.sluice.jobapi.store.Clocks;
import io.sluice.jobapi.store.DatabaseException;
import io.sluice.jobapi.store.Transaction;
import io.sluice.jobapi.webhook.EventType;
import io.sluice.jobapi.webhook.WebhookPayloads;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;

/** Writes an ended batch's deliveries (one per subscribed endpoint) in its end's transaction. */
final class BatchDeliveryEnqueuer implements BatchEndedListener {
  private final DeliveryRepository deliveries = new DeliveryRepository();
  private final Clock clock;
  private final Runnable enqueued;

  BatchDeliveryEnqueuer(Clock clock, Runnable enqueued) {
    this.clock = clock;
    this.enqueued = enqueued;
  }

  @Override
  public void ended(Transaction tx, Batch batch, RequestCounts counts) {
    EventType type =
        switch (batch.status()) {
          case COMPLETED -> EventType.BATCH_COMPLETED;
          case FAILED -> EventType.BATCH_FAILED;
          case EXPIRED -> EventType.BATCH_EXPIRED;
          case CANCELLED -> EventType.BATCH_CANCELLED;
          default -> null;
        };
    if (type == null) {
      return;
    }
    Instant now = Clocks.now(clock);
    String payload = WebhookPayloads.ofBatch(type, batch, counts, now);
    try {
      if (deliveries.insertForSubscribers(
              tx.connection(), batch.tenantId(), batch.id(), type, payload, now)
          > 0) {
        enqueued.run();
      }
    } catch (SQLException e) {
      throw new DatabaseException(e);
    }
  }
}
