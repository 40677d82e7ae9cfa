package io.sluice.jobapi.job;

import io.sluice.jobapi.store.Transaction;

/**
 * Told, inside the transaction that stores it, of every change the job events make to a job: its
 * status, its result, a late cost, a map-reduce job's progress.
 */
@FunctionalInterface
public interface JobUpdatedListener {
  JobUpdatedListener NONE = (tx, before, after) -> {};

  /** {@code before}: the job as it was stored; {@code after}: as it is being stored. */
  void updated(Transaction tx, Job before, Job after);

  /** Tells {@code listeners} in order. */
  static JobUpdatedListener all(JobUpdatedListener... listeners) {
    java.util.List<JobUpdatedListener> each = java.util.List.of(listeners);
    return (tx, before, after) -> each.forEach(l -> l.updated(tx, before, after));
  }
}
