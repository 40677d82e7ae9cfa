package io.sluice.jobapi.job;

import io.sluice.schemas.job.JobEvent;

/** Applies a job event from {@code sluice.jobs.events} to the job it names. */
public interface JobEventHandler {

  /**
   * Applies the event, or skips it (with a log line) when it is a duplicate, stale, for an unknown
   * job or an illegal transition. Throws only for failures worth a retry (the database).
   */
  void project(JobEvent event);
}
