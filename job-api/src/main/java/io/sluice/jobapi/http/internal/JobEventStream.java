package io.sluice.jobapi.http.internal;

import io.micronaut.http.sse.Event;
import io.sluice.jobapi.http.JobResource;
import io.sluice.jobapi.job.Job;
import io.sluice.jobapi.watch.JobWaits;
import io.sluice.schemas.job.JobStatus;
import java.time.Duration;
import java.util.Optional;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * {@code GET /v1/jobs/{id}/events}: the job as it is now, then the job at each status change,
 * ending after the terminal one; a comment line ({@code : heartbeat}) whenever {@code heartbeat}
 * passes without a change. No thread waits: each step is a {@link JobWaits} future, and a client
 * that goes away cancels the wait under way.
 */
final class JobEventStream {
  private final JobWaits waits;
  private final Duration heartbeat;

  JobEventStream(JobWaits waits, Duration heartbeat) {
    this.waits = waits;
    this.heartbeat = heartbeat;
  }

  Flux<Event<Object>> of(String tenantId, String jobId) {
    return Flux.create(
        sink -> {
          JobWaits.Waiter waiter = new JobWaits.Waiter();
          sink.onDispose(waiter::cancel);
          next(sink, waiter, tenantId, jobId, null);
        });
  }

  private void next(
      FluxSink<Event<Object>> sink,
      JobWaits.Waiter waiter,
      String tenantId,
      String jobId,
      JobStatus seen) {
    waits
        .untilChangedFrom(tenantId, jobId, seen, heartbeat, waiter)
        .whenComplete(
            (job, failure) -> {
              if (waiter.isCancelled()) {
                return;
              }
              if (failure != null) {
                sink.error(failure);
              } else {
                emit(sink, waiter, tenantId, jobId, seen, job);
              }
            });
  }

  private void emit(
      FluxSink<Event<Object>> sink,
      JobWaits.Waiter waiter,
      String tenantId,
      String jobId,
      JobStatus seen,
      Optional<Job> job) {
    if (job.isEmpty()) {
      sink.complete(); // the job is gone (a tenant removed): nothing more will happen to it
      return;
    }
    JobStatus status = job.get().status();
    sink.next(
        status == seen
            ? Event.<Object>of("").comment("heartbeat")
            : Event.<Object>of(JobResource.of(job.get())));
    if (status.isTerminal()) {
      sink.complete();
    } else {
      next(sink, waiter, tenantId, jobId, status);
    }
  }
}
