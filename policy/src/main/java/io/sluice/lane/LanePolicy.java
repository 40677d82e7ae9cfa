package io.sluice.lane;

import io.sluice.schemas.job.Mode;
import io.sluice.schemas.job.Priority;
import io.sluice.schemas.task.Lane;
import java.util.List;
import java.util.Optional;

/**
 * The one place that decides lanes: which lane a job's tasks are queued on (the dispatcher) and in
 * which order a worker pool serves its realtime lanes (the workers). Plain Java, no state.
 *
 * <p>Workers: {@link #nextToStart} chooses which held task a pool starts when a slot is free.
 * Anti-starvation between lanes and fairness between tenants are changes to that one function; its
 * input already carries what they need (when each task was taken, its tenant).
 *
 * <p>{@code realtime} goes to the realtime lane of the job's priority and {@code deferred} to the
 * deferred (provider batch API) lane. {@code auto} is realtime until the deferred lane's deadline
 * rule lands with the batch-submitter.
 */
public final class LanePolicy {
  private static final List<Lane> REALTIME_ORDER =
      List.of(Lane.INTERACTIVE, Lane.STANDARD, Lane.BULK);

  /** The realtime lanes, highest first: the order in which a pool starts waiting tasks. */
  public List<Lane> realtimeLanes() {
    return REALTIME_ORDER;
  }

  /** The realtime lane of a job priority. */
  public Lane realtimeLaneFor(Priority priority) {
    return switch (priority) {
      case INTERACTIVE -> Lane.INTERACTIVE;
      case STANDARD -> Lane.STANDARD;
      case BULK -> Lane.BULK;
    };
  }

  /** The lane of a job's tasks. */
  public Lane laneFor(Priority priority, Mode mode) {
    return switch (mode) {
      case REALTIME, AUTO -> realtimeLaneFor(priority);
      case DEFERRED -> Lane.DEFERRED;
    };
  }

  /**
   * The held task a worker pool starts next, or none: the highest lane first, first come first
   * served within a lane, skipping tasks whose model the rate limiter deferred. Starts nothing when
   * no slot is free, and nothing of a lower lane while a higher lane's poll is in flight (that lane
   * may have more, and it comes first).
   */
  public Optional<WaitingTask> nextToStart(PoolSnapshot pool) {
    if (pool.freeSlots() <= 0) {
      return Optional.empty();
    }
    for (Lane lane : REALTIME_ORDER) {
      Optional<WaitingTask> first =
          pool.waitingIn(lane).stream().filter(task -> !pool.isDeferred(task)).findFirst();
      if (first.isPresent() || pool.pollsInFlight().contains(lane)) {
        return first;
      }
    }
    return Optional.empty();
  }
}
