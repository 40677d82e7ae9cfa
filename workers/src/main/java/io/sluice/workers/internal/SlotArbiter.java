package io.sluice.workers.internal;

import io.sluice.lane.LanePolicy;
import io.sluice.lane.LaneShares;
import io.sluice.lane.PoolSnapshot;
import io.sluice.lane.RecentStarts;
import io.sluice.lane.WaitingTask;
import io.sluice.schemas.task.Lane;
import io.sluice.workers.Admission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The pool's waiting room: keeps the tasks consumers hold and have not started, starts them as
 * slots free up in the order {@link LanePolicy#nextToStart} chooses (over a snapshot of this
 * state), and decides which consumer may take more records from Kafka. Records of a model the rate
 * limiter deferred wait until the earliest {@code notBefore} it gave them, and while any model is
 * deferred no consumer takes new work, so the backlog stays in Kafka. For {@link #LIMITED_FOR}
 * after a deferral the pool counts as <em>limited</em> and takes only what each lane needs to know
 * its head: records it could not start soon wait in Kafka, where any instance may take them, and
 * not in this pool, where each would wait for the limiter behind the others.
 *
 * <p>Thread-safe: consumers, task threads and the pool's deferral timer call it.
 */
final class SlotArbiter {
  /**
   * How long the pool counts as limited after the rate limiter last deferred one of its tasks: long
   * enough to span the gaps between deferrals while an account's limit binds (each call waits for
   * the refill of the one before), short enough that a pool whose backlog is gone soon takes
   * batches again.
   */
  static final Duration LIMITED_FOR = Duration.ofSeconds(30);

  /**
   * How long a consumer whose last poll brought records, refused a poll of a limited busy lane, has
   * the lane's next poll before a consumer whose last poll was empty: longer than a refused
   * consumer takes to ask again (at the next poll chance, at the latest after its loop's 1 s wait).
   */
  static final Duration HUNGRY_FIRST_FOR = Duration.ofSeconds(2);

  private static final class LaneState {
    final Deque<HeldTask> waiting = new ArrayDeque<>();

    /** Started, and not yet admitted by the rate limiter nor ended. */
    final Set<HeldTask> asking = new HashSet<>();

    int hungryPolls;
    int polls;
    Instant lastActive;

    /**
     * When a hungry or reserved poll of the lane was last refused while it was limited and busy.
     */
    Instant hungryRefusedAt;

    /**
     * Whether the lane has a backlog as far as this pool can tell: it holds tasks that wait, or
     * within {@link #LIMITED_FOR} a poll of it brought records or one of its tasks was admitted (a
     * limited lane reads its next record only after that, which may be long after the last read).
     */
    boolean busy(Instant now) {
      return !waiting.isEmpty()
          || !asking.isEmpty()
          || (lastActive != null && now.isBefore(lastActive.plus(LIMITED_FOR)));
    }
  }

  private final LanePolicy policy;
  private final Map<Lane, LaneState> lanes = new EnumMap<>(Lane.class);
  private final Map<String, Instant> deferredUntil = new HashMap<>();
  private final int concurrency;
  private final int recordsPerPoll;
  private final Admission admission;
  private final Clock clock;
  private final Consumer<HeldTask> starter;
  private final Predicate<HeldTask> releasable;
  private final List<Runnable> pollListeners = new CopyOnWriteArrayList<>();
  private final Deque<HeldTask> recentStarts = new ArrayDeque<>();
  private RecentStarts recent = RecentStarts.NONE;
  private int running;
  private boolean stopped;
  private Instant lastDeferral;
  private Instant limitedSince;

  /** Started tasks whose later call waits for the rate limiter in their own thread. */
  private final Set<HeldTask> waitingInThread = new HashSet<>();

  /** What the arbiter needs from the pool's settings. */
  record Settings(LanePolicy policy, int concurrency, int recordsPerPoll, Admission admission) {
    SlotArbiter arbiter(Clock clock, Consumer<HeldTask> starter, Predicate<HeldTask> releasable) {
      return new SlotArbiter(
          policy, concurrency, recordsPerPoll, admission, clock, starter, releasable);
    }
  }

  /**
   * @param admission asked for a slot of the lane policy's choice before it starts
   * @param starter starts a task (outside the arbiter's lock)
   * @param releasable whether a held task's record may go back to Kafka without risking its
   *     delivery limit ({@link #shed})
   */
  SlotArbiter(
      LanePolicy policy,
      int concurrency,
      int recordsPerPoll,
      Admission admission,
      Clock clock,
      Consumer<HeldTask> starter,
      Predicate<HeldTask> releasable) {
    this.policy = policy;
    this.concurrency = concurrency;
    this.recordsPerPoll = recordsPerPoll;
    this.admission = admission;
    this.clock = clock;
    this.starter = starter;
    this.releasable = releasable;
    policy.realtimeLanes().forEach(lane -> lanes.put(lane, new LaneState()));
  }

  /** Told when taking more work may have become possible. */
  void onPollChance(Runnable listener) {
    pollListeners.add(listener);
  }

  /**
   * Whether a consumer of {@code lane} may poll for new records now. A consumer whose last poll
   * came back empty ({@code hungry == false}) always may: each consumer sees only the partitions
   * assigned to it, so every one must keep looking, and a poll of an empty partition rarely brings
   * more than a few records. A hungry consumer (its last poll brought records, or it has not polled
   * yet) may poll while the free slots exceed what is held and what hungry polls in flight may
   * bring, or when its lane holds nothing and no other hungry poll of it is in flight (so the head
   * of every lane is known locally), or when its lane is owed its minimum share ({@link
   * LanePolicy#isOwed}), holds less than a poll's worth and no other hungry poll of it is in
   * flight. A hungry poll is counted until {@link #pollFinished}; a poll reserved by {@link
   * #finished} is already counted.
   *
   * <p>While the pool is limited ({@link #LIMITED_FOR}) only the lane's head counts: free slots are
   * no reason to take more, since the rate limiter, not the slots, sets the pace. A hungry or
   * reserved poll needs its lane to hold nothing and no other hungry poll of it in flight; and in a
   * busy lane ({@code LaneState.busy}) every poll does, with no started task of it still waiting
   * for an admission ({@link #admitted}, {@link #waitingAgain}) and no other poll of any kind in
   * flight, and a consumer whose last poll was empty gives way to one refused lately whose last
   * poll brought records ({@link #HUNGRY_FIRST_FOR}), so that a lane holds at most one poll's worth
   * that waits for the limiter. A lane that is not busy keeps all its consumers looking, so new
   * work there is seen at once.
   */
  synchronized boolean tryStartPoll(Lane lane, boolean hungry, boolean reserved) {
    LaneState state = lanes.get(lane);
    if (reserved) {
      state.hungryPolls--; // counted again below if it may go
    }
    Instant now = clock.instant();
    if (stopped || deferredNow(now)) {
      return false;
    }
    boolean limited = limitedNow(now);
    boolean headOfLane = state.waiting.isEmpty() && state.hungryPolls == 0;
    boolean mayPoll;
    if (limited && state.busy(now)) {
      mayPoll =
          state.waiting.isEmpty()
              && state.asking.isEmpty()
              && state.polls == 0
              && (hungry || reserved || !hungryWaits(state, now));
      if (hungry || reserved) {
        state.hungryRefusedAt = mayPoll ? null : now;
      }
    } else if (!hungry && !reserved) {
      mayPoll = true;
    } else {
      mayPoll = limited ? headOfLane : reserved || headOfLane || roomOrOwed(lane);
    }
    if (mayPoll) {
      state.polls++;
      if (hungry || reserved) {
        state.hungryPolls++;
      }
    }
    return mayPoll;
  }

  /**
   * A consumer whose last poll brought records was refused a poll of this limited, busy lane
   * lately: one whose last poll was empty (its partitions hold nothing of the backlog) gives way to
   * it, or its own polls, each taking the lane's one poll for up to a second, would keep the lane
   * from reading its next record for as long as the pool is limited.
   */
  private static boolean hungryWaits(LaneState state, Instant now) {
    return state.hungryRefusedAt != null
        && now.isBefore(state.hungryRefusedAt.plus(HUNGRY_FIRST_FOR));
  }

  /**
   * Whether a poll of {@code lane} by a consumer whose last poll was empty should wait only
   * briefly: the lane is limited and busy, so that poll holds the lane's one poll and keeps every
   * other consumer of it from reading the lane's next record meanwhile.
   */
  synchronized boolean shortIdlePolls(Lane lane) {
    Instant now = clock.instant();
    return limitedNow(now) && lanes.get(lane).busy(now);
  }

  /**
   * The free slots exceed what is held and what hungry polls in flight may bring, or {@code lane}
   * is owed its minimum share: it keeps a poll's worth at hand, so that the share is not lost to
   * higher lanes while its next poll is on the way.
   */
  private boolean roomOrOwed(Lane lane) {
    LaneState state = lanes.get(lane);
    int held = lanes.values().stream().mapToInt(s -> s.waiting.size()).sum();
    int inFlight = lanes.values().stream().mapToInt(s -> s.hungryPolls).sum() * recordsPerPoll;
    boolean room = concurrency - running - held - inFlight > 0;
    boolean owed =
        policy.isOwed(lane, recent)
            && state.hungryPolls == 0
            && state.waiting.size() < recordsPerPoll;
    return room || owed;
  }

  /**
   * A poll {@link #tryStartPoll} allowed returned these new tasks of {@code lane} (possibly none).
   */
  void pollFinished(Lane lane, boolean hungry, List<HeldTask> tasks) {
    boolean chance;
    synchronized (this) {
      LaneState state = lanes.get(lane);
      if (hungry) {
        state.hungryPolls--;
      }
      state.polls--;
      if (!tasks.isEmpty()) {
        state.lastActive = clock.instant();
      }
      state.waiting.addAll(tasks);
      // a limited busy lane has one poll at a time: a consumer refused meanwhile may ask now
      chance = tasks.isEmpty() && state.polls == 0 && hungryWaits(state, clock.instant());
    }
    dispatch();
    if (chance) {
      pollChance();
    }
  }

  /** Tasks that arrived outside a counted poll (e.g. with renewed ones). */
  void add(Lane lane, List<HeldTask> tasks) {
    if (tasks.isEmpty()) {
      return;
    }
    synchronized (this) {
      LaneState state = lanes.get(lane);
      state.lastActive = clock.instant();
      state.waiting.addAll(tasks);
    }
    dispatch();
  }

  /**
   * Started tasks of {@code lane} are done: their slots are free. With {@code reservePoll} their
   * consumer, hungry and now holding nothing, is about to poll its lane again: that poll counts as
   * in flight from now on (the consumer then polls without asking {@link #tryStartPoll}), so that a
   * lower lane does not take the slot before this lane's answer is known.
   */
  void finished(Lane lane, int count, boolean reservePoll) {
    synchronized (this) {
      running -= count;
      for (int i = 0; i < count; i++) {
        admission.release(lane);
      }
      if (reservePoll) {
        lanes.get(lane).hungryPolls++;
      }
    }
    dispatch();
    pollChance();
  }

  /**
   * A started task was not admitted by the rate limiter: its slot is free, it waits (first in its
   * lane) until {@code notBefore}, and so do all tasks of its model — until the earliest instant
   * any of them was given. The limiter's instants differ with each call's size and with the
   * capacity it sets aside for the oldest waiter; the call that may go first must not wait for the
   * others' later ones, or a provider window enforced over a second fills up meanwhile and its
   * refill is lost. Those tried too early are deferred again.
   */
  void deferred(HeldTask task, Instant notBefore) {
    boolean nowLimited;
    synchronized (this) {
      running--;
      admission.release(task.lane());
      nowLimited = markDeferral();
      lanes.get(task.lane()).asking.remove(task);
      String model = task.delivery().model();
      if (model != null) {
        deferredUntil.merge(model, notBefore, (a, b) -> a.isBefore(b) ? a : b);
      }
      lanes.get(task.lane()).waiting.addFirst(task);
    }
    dispatch();
    if (nowLimited) {
      pollChance(); // the consumers give back what they read before (shed)
    }
  }

  /**
   * A started task's call was admitted by the rate limiter (its first, or one after {@link
   * #waitingAgain}): it no longer waits, and once nothing of its lane does, a limited pool may read
   * the lane's next record.
   */
  void admitted(HeldTask task) {
    boolean chance;
    synchronized (this) {
      LaneState state = lanes.get(task.lane());
      state.lastActive = clock.instant();
      waitingInThread.remove(task);
      chance = state.asking.remove(task) && state.asking.isEmpty();
    }
    if (chance) {
      pollChance();
    }
  }

  /**
   * A started task's later call (a retry or a repair call) waits for the rate limiter, in the
   * task's own thread and slot: the pool is limited as after any deferral, and the task counts as
   * waiting for admission again, so that a limited lane does not read a record that would take the
   * instance's place in the limiter's queue before it (an instance's place goes to its largest
   * waiting demand, and a task whose call drew a 429 could otherwise wait behind every larger
   * record read after it).
   */
  synchronized void waitingAgain(HeldTask task) {
    markDeferral();
    waitingInThread.add(task);
    lanes.get(task.lane()).asking.add(task);
  }

  /** What a task's processing tells this arbiter of its waits for the rate limiter. */
  TaskProcessor.LimiterWaits waitsOf(HeldTask task) {
    return new TaskProcessor.LimiterWaits() {
      @Override
      public void admitted() {
        SlotArbiter.this.admitted(task);
      }

      @Override
      public void waiting() {
        waitingAgain(task);
      }
    };
  }

  /**
   * A started task ended: it no longer waits for admission. (A deferred task is taken out by {@link
   * #deferred}, as it goes back to wait.)
   */
  synchronized void settled(HeldTask task) {
    waitingInThread.remove(task);
    lanes.get(task.lane()).asking.remove(task);
  }

  /**
   * The rate limiter deferred a started task too far ahead to hold its record, which is released:
   * the task no longer waits here, and the pool is limited as after any deferral.
   */
  synchronized void releasedForLater(HeldTask task) {
    markDeferral();
    lanes.get(task.lane()).asking.remove(task);
  }

  /**
   * The rate limiter deferred a task now: the pool is limited from now on for {@link #LIMITED_FOR}.
   * Returns whether it was not limited before.
   */
  private boolean markDeferral() {
    Instant now = clock.instant();
    boolean turned = !limitedNow(now);
    if (turned) {
      limitedSince = now;
    }
    lastDeferral = now;
    return turned;
  }

  /**
   * Whether a consumer should look for tasks to {@link #shed}: the pool is limited and some lane
   * holds more than its head.
   */
  synchronized boolean mayShed() {
    return limitedNow(clock.instant())
        && lanes.values().stream().anyMatch(state -> state.waiting.size() > 1);
  }

  /**
   * Takes {@code task} out to go back to Kafka, if the pool is limited, the task waits behind its
   * lane's head, was read before the pool became limited and its record may be released ({@code
   * releasable}). What a pool read while the limiter did not bind (a record for each consumer, and
   * more while slots were free) would otherwise wait here in turn, each behind the ones before it
   * and behind the other instances' places in the limiter's queue: minutes at tier-1 limits, while
   * in Kafka it goes first to whichever instance reads next.
   */
  synchronized boolean shed(HeldTask task) {
    Instant now = clock.instant();
    LaneState state = lanes.get(task.lane());
    Instant readAt = task.delivery().readAt();
    boolean surplus =
        !stopped
            && limitedNow(now)
            && readAt != null
            && readAt.isBefore(limitedSince)
            && state.waiting.peekFirst() != task
            && state.waiting.contains(task)
            && releasable.test(task);
    if (surplus) {
      state.waiting.remove(task);
    }
    return surplus;
  }

  /** Takes a waiting task out (to release it); {@code false} if it is not waiting. */
  synchronized boolean withdraw(HeldTask task) {
    return lanes.get(task.lane()).waiting.remove(task);
  }

  /** Starts no more tasks and allows no more polls. */
  void stop() {
    synchronized (this) {
      stopped = true;
    }
    pollChance();
  }

  /** Starts every task that may start now, in the lane policy's order. */
  void dispatch() {
    List<HeldTask> starts = new ArrayList<>();
    synchronized (this) {
      HeldTask next;
      while (!stopped && (next = takeNext()) != null) {
        running++;
        starts.add(next);
      }
      deferredUntil.values().removeIf(until -> !until.isAfter(clock.instant()));
    }
    starts.forEach(starter);
  }

  /**
   * A deferral ended: start what may start and, once no model is deferred any more, let consumers
   * poll again (while one is, {@link #tryStartPoll} refuses every poll: waking them is wasted).
   */
  void deferralEnded() {
    dispatch();
    boolean deferred;
    synchronized (this) {
      deferred = deferredNow(clock.instant());
    }
    if (!deferred) {
      pollChance();
    }
  }

  /** The lane policy's choice, if the admission gives it a slot; taken out of its lane. */
  private HeldTask takeNext() {
    Optional<WaitingTask> choice = policy.nextToStart(snapshot());
    if (choice.isEmpty()) {
      return null;
    }
    for (LaneState state : lanes.values()) {
      for (HeldTask task : state.waiting) {
        if (task.waiting() == choice.get()) {
          if (!admission.tryAcquire(task.lane())) {
            return null;
          }
          state.waiting.remove(task);
          state.asking.add(task);
          countStart(task);
          return task;
        }
      }
    }
    throw new IllegalStateException("lane policy chose a task that is not waiting");
  }

  /** Counts a start among the last {@link LaneShares#history()} ones. */
  private void countStart(HeldTask task) {
    recentStarts.addLast(task);
    recent = recent.plus(task.lane(), task.waiting().tenant());
    if (recentStarts.size() > policy.shares().history()) {
      HeldTask oldest = recentStarts.removeFirst();
      recent = recent.minus(oldest.lane(), oldest.waiting().tenant());
    }
  }

  /** This arbiter's state, frozen, as the lane policy sees it. */
  synchronized PoolSnapshot snapshot() {
    Map<Lane, List<WaitingTask>> waiting = new EnumMap<>(Lane.class);
    Set<Lane> polling = EnumSet.noneOf(Lane.class);
    lanes.forEach(
        (lane, state) -> {
          waiting.put(lane, state.waiting.stream().map(HeldTask::waiting).toList());
          if (state.hungryPolls > 0) {
            polling.add(lane);
          }
        });
    return new PoolSnapshot(
        waiting, concurrency - running, polling, deferredUntil, clock.instant(), recent);
  }

  /**
   * Whether the rate limiter deferred a task of this pool within {@link #LIMITED_FOR}, or a started
   * task's call still waits for it ({@link #waitingAgain}: such a wait, unlike a deferral, leaves
   * no model deferred that would keep the consumers from polling, and may last longer).
   */
  private boolean limitedNow(Instant now) {
    return !waitingInThread.isEmpty()
        || (lastDeferral != null && now.isBefore(lastDeferral.plus(LIMITED_FOR)));
  }

  private boolean deferredNow(Instant now) {
    return deferredUntil.values().stream().anyMatch(until -> until.isAfter(now));
  }

  private void pollChance() {
    pollListeners.forEach(Runnable::run);
  }
}
