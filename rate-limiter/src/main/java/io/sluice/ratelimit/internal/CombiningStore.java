package io.sluice.ratelimit.internal;

import io.sluice.ratelimit.LimitKey;
import io.sluice.ratelimit.LimitState;
import io.sluice.ratelimit.LimitStore;
import io.sluice.ratelimit.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * Joins the updates this process's threads make to one key at the same time into one update of the
 * underlying store: group commit. Each thread queues its change and takes the key's lock; the
 * thread that gets it applies every queued change, in order, in a single update of the store and
 * hands each waiting thread its own step; a thread that finds its change already applied just
 * returns. So one instance holds at most one transaction per key at a time however many threads it
 * runs, the row lock in a shared store is contended by instances rather than by threads, and a
 * burst of admissions costs a few transactions instead of one each.
 *
 * <p>Each change is still pure and applied to the state the previous one produced, exactly as if
 * the updates had run one after the other. If the store fails, every change of that batch fails
 * with the same {@link io.sluice.ratelimit.StoreUnavailableException} (each may or may not have
 * been stored, as the port allows). A change that throws fails only its own caller; the others are
 * applied without it.
 */
public final class CombiningStore implements LimitStore {
  /** At most this many changes go into one update, so a batch's transaction stays short. */
  static final int MAX_BATCH = 256;

  private final LimitStore store;
  private final Map<LimitKey, Lane> lanes = new ConcurrentHashMap<>();

  public CombiningStore(LimitStore store) {
    this.store = Objects.requireNonNull(store, "store");
  }

  @Override
  public <T> Step<T> update(LimitKey key, Function<LimitState, Step<T>> change) {
    Lane lane = lanes.computeIfAbsent(key, k -> new Lane());
    Pending<T> mine = new Pending<>(change);
    lane.queue.add(mine);
    lane.lock.lock();
    try {
      while (!mine.done) {
        applyBatch(key, lane);
      }
    } finally {
      lane.lock.unlock();
    }
    return mine.outcome();
  }

  @Override
  public LimitState read(LimitKey key) {
    return store.read(key);
  }

  @Override
  public void ping() {
    store.ping();
  }

  /** How many changes of {@code key} wait for the next batch (for tests). */
  int queued(LimitKey key) {
    Lane lane = lanes.get(key);
    return lane == null ? 0 : lane.queue.size();
  }

  private void applyBatch(LimitKey key, Lane lane) {
    List<Pending<?>> batch = new ArrayList<>();
    for (Pending<?> next; batch.size() < MAX_BATCH && (next = lane.queue.poll()) != null; ) {
      batch.add(next);
    }
    try {
      store.update(key, state -> Step.of(applyAll(batch, state)));
    } catch (RuntimeException e) {
      batch.forEach(pending -> pending.failed(e));
      return;
    }
    batch.forEach(Pending::finish);
  }

  /**
   * Applies the batch's changes in order; may run more than once, so it starts afresh each time.
   */
  private static LimitState applyAll(List<Pending<?>> batch, LimitState state) {
    LimitState current = state;
    for (Pending<?> pending : batch) {
      current = pending.apply(current);
    }
    return current;
  }

  private static final class Lane {
    private final Queue<Pending<?>> queue = new ConcurrentLinkedQueue<>();
    private final ReentrantLock lock = new ReentrantLock();
  }

  /** One caller's change; its fields are guarded by the key's lock. */
  private static final class Pending<T> {
    private final Function<LimitState, Step<T>> change;
    private Step<T> step;
    private RuntimeException failure;
    private boolean done;

    private Pending(Function<LimitState, Step<T>> change) {
      this.change = change;
    }

    private LimitState apply(LimitState state) {
      try {
        step = change.apply(state);
        failure = null;
        return step.next();
      } catch (RuntimeException e) {
        step = null;
        failure = e;
        return state;
      }
    }

    private void finish() {
      done = true;
    }

    private void failed(RuntimeException e) {
      step = null;
      failure = e;
      done = true;
    }

    private Step<T> outcome() {
      if (failure != null) {
        throw failure;
      }
      return step;
    }
  }
}
