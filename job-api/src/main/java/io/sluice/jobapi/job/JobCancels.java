package io.sluice.jobapi.job;

import java.util.Optional;

/** Cancels jobs: what {@code POST /v1/jobs/{id}/cancel} hands a request to. */
public interface JobCancels {

  /**
   * Asks for the tenant's job to be cancelled. When this returns a cancellation that is not {@link
   * Cancellation#alreadyCancelled()}, a cancel record for {@code sluice.jobs.control} is committed
   * with the check of the job and will reach the dispatcher even if the process dies now. The job's
   * status is not changed here: the dispatcher's {@code cancelled} event ends it (first terminal
   * wins).
   *
   * @return empty for a missing job, another tenant's job and an ID that cannot be a job ID alike
   * @throws JobFinishedException the job has ended with another status than {@code cancelled}
   */
  Optional<Cancellation> cancel(String tenantId, String jobId);
}
