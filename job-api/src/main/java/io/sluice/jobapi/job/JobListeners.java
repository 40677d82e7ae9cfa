package io.sluice.jobapi.job;

import io.sluice.jobapi.store.Transaction;

/**
 * Everything told of a change of a stored job, inside the transaction that stores it: every change
 * ({@code updated}: the cost ledger, the result cache), a status change ({@code changed}: watches)
 * and the job's end ({@code finished}: webhooks). The one place that says who hears what.
 */
public record JobListeners(
    JobFinishedListener finished, JobChangedListener changed, JobUpdatedListener updated) {
  public static final JobListeners NONE =
      new JobListeners(JobFinishedListener.NONE, JobChangedListener.NONE, JobUpdatedListener.NONE);

  /** Tells each listener what the change from {@code before} to {@code after} is to it. */
  public void stored(Transaction tx, Job before, Job after) {
    updated.updated(tx, before, after);
    if (!before.status().isTerminal() && after.status().isTerminal()) {
      finished.finished(tx, after);
    }
    if (before.status() != after.status()) {
      changed.changed(tx, after);
    }
  }
}
