package io.sluice.dispatcher.routing;

import io.sluice.schemas.job.Mode;
import io.sluice.schemas.job.Priority;
import io.sluice.schemas.task.Lane;

/**
 * Which lane a job's tasks are queued on.
 *
 * <p>{@code realtime} goes to the realtime lane of the job's priority and {@code deferred} to the
 * deferred (provider batch API) lane. {@code auto} is realtime for now: choosing deferred needs the
 * deadline-slack rule of the deferred lane, which arrives with the batch-submitter.
 */
public final class LanePolicy {
  public Lane laneFor(Priority priority, Mode mode) {
    return switch (mode) {
      case REALTIME, AUTO -> Lane.realtimeFor(priority);
      case DEFERRED -> Lane.DEFERRED;
    };
  }
}
