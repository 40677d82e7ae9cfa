package io.sluice.jobapi.job.internal;

import io.sluice.jobapi.job.Job;
import io.sluice.jobapi.job.JobIds;
import io.sluice.jobapi.job.JobListQuery;
import io.sluice.jobapi.job.JobLookup;
import io.sluice.jobapi.job.JobPage;
import io.sluice.jobapi.store.Database;
import java.util.Optional;

/** Reads jobs on behalf of a tenant. */
public final class JobQueries implements JobLookup {
  private final Database database;
  private final JobRepository jobs;

  public JobQueries(Database database, JobRepository jobs) {
    this.database = database;
    this.jobs = jobs;
  }

  @Override
  public Optional<Job> find(String tenantId, String jobId) {
    if (!JobIds.isWellFormed(jobId)) {
      return Optional.empty(); // e.g. a NUL, which PostgreSQL would refuse as a parameter
    }
    return database.inTransaction(c -> jobs.findForTenant(c, tenantId, jobId));
  }

  @Override
  public JobPage list(String tenantId, JobListQuery query) {
    return JobPage.of(
        database.inTransaction(c -> jobs.listForTenant(c, tenantId, query)), query.limit());
  }
}
