package io.sluice.lane;

import io.sluice.schemas.task.Lane;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a worker pool knows when a slot may be free, frozen: the input of {@link
 * LanePolicy#nextToStart}.
 *
 * @param waiting the tasks held and not started, per lane, in arrival order (a lane may be absent)
 * @param freeSlots how many more tasks may start now (the pool's concurrency minus those running)
 * @param pollsInFlight lanes whose consumer is still finding out whether the lane has more records
 * @param deferredUntil models the rate limiter deferred, with the instant each may be tried again
 * @param now the pool's clock
 * @param recent what the pool started lately ({@link LaneShares#history()} starts)
 */
public record PoolSnapshot(
    Map<Lane, List<WaitingTask>> waiting,
    int freeSlots,
    Set<Lane> pollsInFlight,
    Map<String, Instant> deferredUntil,
    Instant now,
    RecentStarts recent) {

  /** A pool that has started nothing lately. */
  public PoolSnapshot(
      Map<Lane, List<WaitingTask>> waiting,
      int freeSlots,
      Set<Lane> pollsInFlight,
      Map<String, Instant> deferredUntil,
      Instant now) {
    this(waiting, freeSlots, pollsInFlight, deferredUntil, now, RecentStarts.NONE);
  }

  public PoolSnapshot {
    Objects.requireNonNull(recent, "recent");
    Map<Lane, List<WaitingTask>> copy = new EnumMap<>(Lane.class);
    waiting.forEach((lane, tasks) -> copy.put(lane, List.copyOf(tasks)));
    waiting = Map.copyOf(copy);
    pollsInFlight = Set.copyOf(pollsInFlight);
    deferredUntil = Map.copyOf(deferredUntil);
    Objects.requireNonNull(now, "now");
  }

  /** The waiting tasks of one lane, in arrival order. */
  public List<WaitingTask> waitingIn(Lane lane) {
    return waiting.getOrDefault(lane, List.of());
  }

  /** Whether the rate limiter still holds back calls of this task's model. */
  public boolean isDeferred(WaitingTask task) {
    Instant until = task.model() == null ? null : deferredUntil.get(task.model());
    return until != null && until.isAfter(now);
  }
}
