package io.sluice.jobapi.watch;

import io.sluice.jobapi.job.JobChangedListener;

/**
 * The waiting feature as job-api's composition root uses it: the projection's hook that announces a
 * status change, the waits the HTTP API serves, and the resources to close.
 *
 * @param changedListener announces each status change when the projection's transaction commits
 * @param waits long polls and event streams
 * @param resources what {@link #close} stops: the listener loop, its connection, the read pool
 */
public record WatchParts(
    JobChangedListener changedListener, JobWaits waits, AutoCloseable resources)
    implements AutoCloseable {
  @Override
  public void close() throws Exception {
    resources.close();
  }
}
