package io.sluice.workers.internal;

import io.sluice.workers.WorkerStats;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/** The live counters behind {@link WorkerStats}. */
public final class Counters {
  final AtomicLong succeeded = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  final AtomicLong retries = new AtomicLong();
  final AtomicLong deadLettered = new AtomicLong();
  final AtomicLong released = new AtomicLong();
  final AtomicLong lockRenewals = new AtomicLong();
  final AtomicInteger inFlight = new AtomicInteger();

  public WorkerStats snapshot() {
    return new WorkerStats(
        succeeded.get(),
        failed.get(),
        retries.get(),
        deadLettered.get(),
        released.get(),
        lockRenewals.get(),
        inFlight.get());
  }
}
