package io.sluice.jobapi.job;

import io.sluice.jobapi.store.Transaction;

/**
 * Told, inside the transaction that records it, that a job's status changed (waiters on other
 * instances learn of it when that transaction commits).
 */
@FunctionalInterface
public interface JobChangedListener {
  JobChangedListener NONE = (tx, job) -> {};

  /** {@code job} as it is being stored, in its new status. */
  void changed(Transaction tx, Job job);
}
