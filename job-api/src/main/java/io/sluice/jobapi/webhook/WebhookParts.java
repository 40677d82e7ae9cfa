package io.sluice.jobapi.webhook;

import io.sluice.jobapi.bulk.batches.BatchEndedListener;
import io.sluice.jobapi.job.JobFinishedListener;
import io.sluice.jobapi.job.WebhookUrlCheck;

/** The webhook feature as the composition root wires it into the others. */
public interface WebhookParts extends AutoCloseable {

  /** Checks a job's one-off webhook URL at submission. */
  WebhookUrlCheck urlCheck();

  /** Writes a finished job's deliveries in the projection's transaction. */
  JobFinishedListener finishedListener();

  /** Writes an ended batch's deliveries in the transaction that ends it. */
  BatchEndedListener batchEndedListener();

  WebhookEndpoints endpoints();

  WebhookDeliveries deliveries();

  /** Starts sending (when this instance sends). */
  void startSender();

  /** Stops sending; deliveries under way are sent again when their leases end. */
  @Override
  void close();
}
