package io.sluice.workers.internal;

import io.sluice.schemas.task.Lane;
import io.sluice.workers.Admission;
import java.util.concurrent.atomic.AtomicInteger;

/** Admits every task while fewer than a fixed number are in flight, whatever the lane. */
public final class ConcurrencyAdmission implements Admission {
  private final int limit;
  private final AtomicInteger inFlight = new AtomicInteger();

  public ConcurrencyAdmission(int limit) {
    if (limit < 1) {
      throw new IllegalArgumentException("concurrency must be at least 1, got " + limit);
    }
    this.limit = limit;
  }

  @Override
  public boolean tryAcquire(Lane lane) {
    int current;
    do {
      current = inFlight.get();
      if (current >= limit) {
        return false;
      }
    } while (!inFlight.compareAndSet(current, current + 1));
    return true;
  }

  @Override
  public void release(Lane lane) {
    inFlight.updateAndGet(current -> Math.max(0, current - 1));
  }

  /** Tasks currently holding a slot. */
  public int inFlight() {
    return inFlight.get();
  }
}
