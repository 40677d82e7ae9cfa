package io.sluice.workers.internal;

import io.sluice.workers.WorkerStats;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntSupplier;

/** The live counters behind {@link WorkerStats}, and the pool's {@link WorkerMetrics}. */
public final class Counters {
  final AtomicLong succeeded = new AtomicLong();
  final AtomicLong failed = new AtomicLong();
  final AtomicLong retries = new AtomicLong();
  final AtomicLong deadLettered = new AtomicLong();
  final AtomicLong released = new AtomicLong();
  final AtomicLong lockRenewals = new AtomicLong();
  final AtomicLong rateLimited = new AtomicLong();
  final AtomicLong admitted = new AtomicLong();
  final AtomicLong deferred = new AtomicLong();
  final AtomicLong cancelled = new AtomicLong();
  final AtomicLong repairs = new AtomicLong();
  final AtomicInteger inFlight = new AtomicInteger();
  private volatile IntSupplier cancelledJobsKnown = () -> 0;
  private final WaitSample admissionWaits = new WaitSample(1 << 16);
  final WorkerMetrics meters;
  final RecentCalls recentCalls = new RecentCalls();

  /** Counters without meters (tests). */
  public Counters() {
    this(WorkerMetrics.none("none"));
  }

  /** Counters that also record into {@code meters}, which reads the counters at scrape time. */
  public Counters(WorkerMetrics meters) {
    this.meters = meters;
    meters.bind(this);
  }

  /** Removes the meters that read these counters (the pool stopped). */
  public void closeMeters() {
    meters.close();
  }

  /** A task was admitted to its first call {@code wait} after its record was read. */
  void admitted(Duration wait) {
    admitted.incrementAndGet();
    admissionWaits.add(wait);
  }

  /** Where {@link WorkerStats#cancelledJobsKnown()} comes from. */
  void countCancelledJobs(IntSupplier known) {
    this.cancelledJobsKnown = known;
  }

  public WorkerStats snapshot() {
    return new WorkerStats(
        succeeded.get(),
        failed.get(),
        retries.get(),
        deadLettered.get(),
        released.get(),
        lockRenewals.get(),
        inFlight.get(),
        rateLimited.get(),
        admitted.get(),
        deferred.get(),
        admissionWaits.percentile(0.5),
        admissionWaits.percentile(0.99),
        cancelled.get(),
        cancelledJobsKnown.getAsInt(),
        repairs.get());
  }
}
