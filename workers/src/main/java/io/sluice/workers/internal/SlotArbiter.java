package io.sluice.workers.internal;

import io.sluice.schemas.task.Lane;
import io.sluice.workers.Admission;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Decides, for the whole pool, which held record starts when a slot is free and which consumer may
 * take more records from Kafka. Free slots go to the highest lane first (FIFO within a lane); a
 * lower lane waits while a higher lane's consumer is still finding out whether its lane has more.
 * Records of a model the rate limiter deferred wait until its {@code notBefore}, and while any
 * model is deferred no consumer takes new work, so the backlog stays in Kafka.
 *
 * <p>Thread-safe: consumers, task threads and the pool's ticker call it.
 */
final class SlotArbiter {
  private static final class LaneState {
    final Deque<HeldRecord> waiting = new ArrayDeque<>();
    int hungryPolls;
  }

  private final List<Lane> priority;
  private final Map<Lane, LaneState> lanes = new EnumMap<>(Lane.class);
  private final Map<String, Instant> deferredUntil = new HashMap<>();
  private final int concurrency;
  private final int recordsPerPoll;
  private final Admission admission;
  private final Clock clock;
  private final Consumer<HeldRecord> starter;
  private final List<Runnable> pollListeners = new CopyOnWriteArrayList<>();
  private int running;
  private boolean stopped;

  /** What the arbiter needs from the pool's settings. */
  record Settings(List<Lane> priority, int concurrency, int recordsPerPoll, Admission admission) {
    SlotArbiter arbiter(Clock clock, Consumer<HeldRecord> starter) {
      return new SlotArbiter(priority, concurrency, recordsPerPoll, admission, clock, starter);
    }
  }

  SlotArbiter(
      List<Lane> priority,
      int concurrency,
      int recordsPerPoll,
      Admission admission,
      Clock clock,
      Consumer<HeldRecord> starter) {
    this.priority = List.copyOf(priority);
    this.concurrency = concurrency;
    this.recordsPerPoll = recordsPerPoll;
    this.admission = admission;
    this.clock = clock;
    this.starter = starter;
    priority.forEach(lane -> lanes.put(lane, new LaneState()));
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
   * of every lane is known locally). A hungry poll is counted until {@link #pollFinished}; a poll
   * reserved by {@link #finished} is already counted.
   */
  synchronized boolean tryStartPoll(Lane lane, boolean hungry, boolean reserved) {
    LaneState state = lanes.get(lane);
    if (stopped || deferredNow(clock.instant())) {
      if (reserved) {
        state.hungryPolls--;
      }
      return false;
    }
    if (reserved || !hungry) {
      return true;
    }
    int held = lanes.values().stream().mapToInt(s -> s.waiting.size()).sum();
    int inFlight = lanes.values().stream().mapToInt(s -> s.hungryPolls).sum() * recordsPerPoll;
    boolean room = concurrency - running - held - inFlight > 0;
    boolean headOfLane = state.waiting.isEmpty() && state.hungryPolls == 0;
    if (room || headOfLane) {
      state.hungryPolls++;
      return true;
    }
    return false;
  }

  /** A poll of {@code lane} returned these new records (possibly none). */
  void pollFinished(Lane lane, boolean hungry, List<HeldRecord> records) {
    synchronized (this) {
      LaneState state = lanes.get(lane);
      if (hungry) {
        state.hungryPolls--;
      }
      state.waiting.addAll(records);
    }
    dispatch();
  }

  /** Records that arrived outside a counted poll (e.g. with renewed ones). */
  void add(Lane lane, List<HeldRecord> records) {
    if (records.isEmpty()) {
      return;
    }
    synchronized (this) {
      lanes.get(lane).waiting.addAll(records);
    }
    dispatch();
  }

  /**
   * Started records of {@code lane} are done: their slots are free. With {@code reservePoll} their
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
   * A started record was not admitted by the rate limiter: its slot is free, it waits (first in its
   * lane) until {@code notBefore}, and so do all records of its model.
   */
  void deferred(HeldRecord record, Instant notBefore) {
    synchronized (this) {
      running--;
      admission.release(record.lane());
      if (record.model != null) {
        deferredUntil.merge(record.model, notBefore, (a, b) -> a.isAfter(b) ? a : b);
      }
      lanes.get(record.lane()).waiting.addFirst(record);
    }
    dispatch();
  }

  /** Takes a waiting record out (to release it); {@code false} if it is not waiting. */
  synchronized boolean withdraw(HeldRecord record) {
    return lanes.get(record.lane()).waiting.remove(record);
  }

  /** Starts no more records and allows no more polls. */
  void stop() {
    synchronized (this) {
      stopped = true;
    }
    pollChance();
  }

  /** The earliest end of a rate-limit deferral still ahead, or {@code null}. */
  synchronized Instant nextDeferralEnd() {
    Instant now = clock.instant();
    deferredUntil.values().removeIf(until -> !until.isAfter(now));
    return deferredUntil.values().stream().min(Instant::compareTo).orElse(null);
  }

  /** Starts every record that may start now, in priority order. */
  void dispatch() {
    List<HeldRecord> starts = new ArrayList<>();
    synchronized (this) {
      HeldRecord next;
      while (!stopped && (next = choose(clock.instant())) != null) {
        running++;
        starts.add(next);
      }
    }
    starts.forEach(starter);
  }

  private HeldRecord choose(Instant now) {
    for (Lane lane : priority) {
      LaneState state = lanes.get(lane);
      Iterator<HeldRecord> waiting = state.waiting.iterator();
      while (waiting.hasNext()) {
        HeldRecord record = waiting.next();
        if (!deferred(record.model, now)) {
          if (running >= concurrency || !admission.tryAcquire(lane)) {
            return null;
          }
          waiting.remove();
          return record;
        }
      }
      if (state.hungryPolls > 0) {
        return null; // a higher lane may have more: wait for its consumer's answer
      }
    }
    return null;
  }

  private boolean deferred(String model, Instant now) {
    Instant until = model == null ? null : deferredUntil.get(model);
    return until != null && until.isAfter(now);
  }

  private boolean deferredNow(Instant now) {
    return deferredUntil.values().stream().anyMatch(until -> until.isAfter(now));
  }

  /** Tells every consumer that it may be able to poll (e.g. a deferral ended). */
  void pollChanceNow() {
    pollChance();
  }

  private void pollChance() {
    pollListeners.forEach(Runnable::run);
  }
}
