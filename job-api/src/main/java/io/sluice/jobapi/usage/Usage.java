package io.sluice.jobapi.usage;

import io.sluice.jobapi.job.JobUpdatedListener;
import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.usage.internal.UsageLedger;
import io.sluice.jobapi.usage.internal.UsageQueries;
import io.sluice.jobapi.usage.internal.UsageRepository;
import java.time.Clock;

/**
 * The cost ledger: every change of a job's cost booked per tenant, UTC day, provider and model (see
 * {@link UsageBooking}), and the reports of {@code GET /v1/usage}.
 */
public final class Usage {
  private Usage() {}

  /** Books each job change, in the projection's transaction. */
  public static JobUpdatedListener ledger(Clock clock) {
    return new UsageLedger(new UsageRepository(), clock);
  }

  public static UsageReports reports(Database database, Clock clock) {
    return new UsageQueries(database, new UsageRepository(), clock);
  }
}
