package io.sluice.jobapi.usage.internal;

import io.sluice.jobapi.job.Job;
import io.sluice.jobapi.job.JobUpdatedListener;
import io.sluice.jobapi.store.Clocks;
import io.sluice.jobapi.store.DatabaseException;
import io.sluice.jobapi.store.Transaction;
import io.sluice.jobapi.usage.UsageBooking;
import java.sql.SQLException;
import java.time.Clock;

/** Books each change of a job's cost in the transaction that stores the change. */
public final class UsageLedger implements JobUpdatedListener {
  private final UsageRepository repository;
  private final Clock clock;

  public UsageLedger(UsageRepository repository, Clock clock) {
    this.repository = repository;
    this.clock = clock;
  }

  @Override
  public void updated(Transaction tx, Job before, Job after) {
    UsageBooking.between(before, after, Clocks.now(clock))
        .ifPresent(
            booking -> {
              try {
                repository.add(tx.connection(), after.id(), booking);
              } catch (SQLException e) {
                throw new DatabaseException(e);
              }
            });
  }
}
