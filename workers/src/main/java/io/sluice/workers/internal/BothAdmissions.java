package io.sluice.workers.internal;

import io.sluice.schemas.task.Lane;
import io.sluice.workers.Admission;

/**
 * Admits only when both gates admit (the pool's own concurrency limit and, e.g., a rate limiter).
 */
public record BothAdmissions(Admission first, Admission second) implements Admission {
  @Override
  public boolean tryAcquire(Lane lane) {
    if (!first.tryAcquire(lane)) {
      return false;
    }
    if (!second.tryAcquire(lane)) {
      first.release(lane);
      return false;
    }
    return true;
  }

  @Override
  public void release(Lane lane) {
    second.release(lane);
    first.release(lane);
  }
}
