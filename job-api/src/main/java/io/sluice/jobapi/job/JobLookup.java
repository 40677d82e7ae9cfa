package io.sluice.jobapi.job;

import java.util.Optional;

/** Reads jobs on behalf of a tenant. */
public interface JobLookup {

  /**
   * The tenant's job with this ID; empty for a missing job, another tenant's job and an ID that
   * cannot be a job ID alike.
   */
  Optional<Job> find(String tenantId, String jobId);

  /**
   * A page of the tenant's jobs that match the query, newest first (by created_at, then ID); never
   * another tenant's.
   */
  JobPage list(String tenantId, JobListQuery query);
}
