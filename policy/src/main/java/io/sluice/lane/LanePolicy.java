package io.sluice.lane;

import io.sluice.schemas.job.Mode;
import io.sluice.schemas.job.Priority;
import io.sluice.schemas.task.Lane;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
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
 * deferred (provider batch API) lane. {@code auto} goes to the deferred lane when its deadline
 * leaves room for a provider batch ({@link DeadlinePolicy#batchCanMeet}), otherwise to the realtime
 * lane of its priority.
 */
public final class LanePolicy {
  private static final List<Lane> REALTIME_ORDER =
      List.of(Lane.INTERACTIVE, Lane.STANDARD, Lane.BULK);

  private final DeadlinePolicy deadlines;

  /** Lanes with the providers' default batch window ({@link DeadlinePolicy#DEFAULT}). */
  public LanePolicy() {
    this(DeadlinePolicy.DEFAULT);
  }

  public LanePolicy(DeadlinePolicy deadlines) {
    this.deadlines = Objects.requireNonNull(deadlines, "deadlines");
  }

  /** What deadlines mean for lanes: batch room, fallback to realtime, expiry. */
  public DeadlinePolicy deadlines() {
    return deadlines;
  }

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

  /**
   * The lane of a job's tasks, decided when the job is routed at {@code now}.
   *
   * @param deadline when the job must be done by, or {@code null}
   */
  public Lane laneFor(Priority priority, Mode mode, Instant deadline, Instant now) {
    return laneFor(priority, mode, deadline, now, true);
  }

  /**
   * The same for a provider that may have no batch API in Sluice (Gemini, OpenAI-compatible
   * servers): its work that can wait runs on the {@code bulk} realtime lane (at the realtime price,
   * behind every other lane) instead of waiting on a deferred lane nothing reads; {@code auto}
   * takes the lane of its priority.
   *
   * @param batchApi whether the provider's deferred lane is served by a provider batch API
   */
  public Lane laneFor(
      Priority priority, Mode mode, Instant deadline, Instant now, boolean batchApi) {
    return switch (mode) {
      case REALTIME -> realtimeLaneFor(priority);
      case DEFERRED -> batchApi ? Lane.DEFERRED : Lane.BULK;
      case AUTO ->
          batchApi && deadlines.batchCanMeet(deadline, now)
              ? Lane.DEFERRED
              : realtimeLaneFor(priority);
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
