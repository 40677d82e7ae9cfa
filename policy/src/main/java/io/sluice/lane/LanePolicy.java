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
 * <p>Workers: {@link #nextToStart} chooses which held task a pool starts when a slot is free: the
 * highest lane first, except that a lane with a minimum share ({@link LaneShares}, {@code bulk} by
 * default) that got less than its share of the pool's recent starts goes first; within a lane, the
 * task of the tenant with the fewest recent starts for its weight. The dispatcher's pacing ({@link
 * FairQueue}) decides which tenant's tasks reach a lane's topic at all; this decides among the few
 * a pool holds (docs/fairness.md).
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
  private final LaneShares shares;

  /** Lanes with the providers' default batch window ({@link DeadlinePolicy#DEFAULT}). */
  public LanePolicy() {
    this(DeadlinePolicy.DEFAULT);
  }

  public LanePolicy(DeadlinePolicy deadlines) {
    this(deadlines, LaneShares.DEFAULT);
  }

  public LanePolicy(DeadlinePolicy deadlines, LaneShares shares) {
    this.deadlines = Objects.requireNonNull(deadlines, "deadlines");
    this.shares = Objects.requireNonNull(shares, "shares");
  }

  /** How a pool shares its slots between lanes and tenants. */
  public LaneShares shares() {
    return shares;
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
   * The held task a worker pool starts next, or none, skipping tasks whose model the rate limiter
   * deferred. A lane owed its minimum share ({@link #isOwed}) that has a startable task goes first,
   * the lowest such lane first; otherwise the highest lane, and nothing of a lower lane while a
   * higher lane's poll is in flight (that lane may have more, and it comes first). Within a lane,
   * the task of the tenant with the fewest recent starts in it for its weight; of one tenant's, the
   * one held longest. Starts nothing when no slot is free.
   */
  public Optional<WaitingTask> nextToStart(PoolSnapshot pool) {
    if (pool.freeSlots() <= 0) {
      return Optional.empty();
    }
    for (Lane lane : REALTIME_ORDER.reversed()) {
      if (isOwed(lane, pool.recent())) {
        Optional<WaitingTask> owed = fairestIn(lane, pool);
        if (owed.isPresent()) {
          return owed;
        }
      }
    }
    for (Lane lane : REALTIME_ORDER) {
      Optional<WaitingTask> next = fairestIn(lane, pool);
      if (next.isPresent() || pool.pollsInFlight().contains(lane)) {
        return next;
      }
    }
    return Optional.empty();
  }

  /**
   * Whether a lane is owed at least one whole start: its minimum share of the recent starts exceeds
   * what it got by one or more. (Counting a whole start, not any shortfall, keeps a lane with a 10
   * % share from jumping the queue after the first start of a quiet pool.)
   */
  public boolean isOwed(Lane lane, RecentStarts recent) {
    double share = shares.minimumShareOf(lane);
    return share > 0 && share * recent.total() - recent.in(lane) >= 1;
  }

  /**
   * The startable task of a lane whose tenant has the fewest recent starts in it for its weight;
   * the first held among those.
   */
  private Optional<WaitingTask> fairestIn(Lane lane, PoolSnapshot pool) {
    WaitingTask best = null;
    double bestService = Double.MAX_VALUE;
    for (WaitingTask task : pool.waitingIn(lane)) {
      if (pool.isDeferred(task)) {
        continue;
      }
      double service =
          (double) pool.recent().of(lane, task.tenant()) / shares.weights().weightOf(task.tenant());
      if (service < bestService) {
        best = task;
        bestService = service;
      }
    }
    return Optional.ofNullable(best);
  }
}
