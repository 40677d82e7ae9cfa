package io.sluice.jobapi.job;

import io.sluice.schemas.job.JobStatus;

/** A request to change a job that has already ended (e.g. cancel a succeeded job). */
public final class JobFinishedException extends RuntimeException {
  private final JobStatus status;

  public JobFinishedException(String jobId, JobStatus status) {
    super("job " + jobId + " has already ended: " + status.wireName());
    this.status = status;
  }

  /** The terminal status the job ended with. */
  public JobStatus status() {
    return status;
  }
}
