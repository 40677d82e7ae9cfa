package io.sluice.jobapi.job;

import io.sluice.jobapi.store.Transaction;

/**
 * Told, inside the transaction that records it, that a job reached a terminal status (webhooks
 * enqueue their deliveries here, so a delivery exists exactly when the status was committed).
 */
@FunctionalInterface
public interface JobFinishedListener {
  JobFinishedListener NONE = (tx, job) -> {};

  /** {@code job} as it is being stored, in its terminal status. */
  void finished(Transaction tx, Job job);
}
