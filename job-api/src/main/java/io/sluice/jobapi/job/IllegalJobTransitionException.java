package io.sluice.jobapi.job;

import io.sluice.schemas.job.JobStatus;

/** A status change the transition table does not allow (permanent: the event is wrong). */
public final class IllegalJobTransitionException extends RuntimeException {
  private final String jobId;
  private final JobStatus from;
  private final JobStatus to;

  public IllegalJobTransitionException(String jobId, JobStatus from, JobStatus to) {
    super(
        "job "
            + jobId
            + " cannot move from "
            + from.wireName()
            + " to "
            + to.wireName()
            + "; allowed next: "
            + from.allowedNext());
    this.jobId = jobId;
    this.from = from;
    this.to = to;
  }

  public String jobId() {
    return jobId;
  }

  public JobStatus from() {
    return from;
  }

  public JobStatus to() {
    return to;
  }
}
