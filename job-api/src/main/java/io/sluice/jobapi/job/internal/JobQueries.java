package io.sluice.jobapi.job.internal;

import io.sluice.jobapi.internal.Database;
import io.sluice.jobapi.job.Job;
import java.util.Optional;

/** Reads jobs on behalf of a tenant. */
public final class JobQueries {
  private final Database database;
  private final JobRepository jobs;

  public JobQueries(Database database, JobRepository jobs) {
    this.database = database;
    this.jobs = jobs;
  }

  /** The tenant's job with this ID; empty for a missing job and for another tenant's job alike. */
  public Optional<Job> find(String tenantId, String jobId) {
    return database.inTransaction(c -> jobs.findForTenant(c, tenantId, jobId));
  }
}
