package io.sluice.workers;

import io.sluice.schemas.task.Lane;
import io.sluice.workers.internal.ConcurrencyAdmission;

/**
 * The gate the poll loop consults before it takes another task from a lane. A task is taken only
 * after {@link #tryAcquire(Lane)} returned {@code true}; its slot is given back with {@link
 * #release(Lane)} once the task's outcome is known (or when the poll that would have taken it
 * returned nothing). The rate limiter plugs in here: an implementation may refuse while the
 * provider's request or token budget is spent, so the backlog stays in Kafka where any worker can
 * take it.
 *
 * <p>Called only from the pool's polling thread, but implementations shared by several pools must
 * be thread-safe.
 */
public interface Admission {
  /** Whether one more task may be taken from this lane now; if so, a slot is held for it. */
  boolean tryAcquire(Lane lane);

  /** Gives back a slot taken with {@link #tryAcquire(Lane)}. */
  void release(Lane lane);

  /** Always admits, up to {@code concurrency} tasks in flight across all lanes. */
  static Admission upTo(int concurrency) {
    return new ConcurrencyAdmission(concurrency);
  }
}
