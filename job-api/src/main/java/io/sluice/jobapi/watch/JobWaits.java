package io.sluice.jobapi.watch;

import io.sluice.jobapi.job.Job;
import io.sluice.jobapi.job.JobLookup;
import io.sluice.schemas.job.JobStatus;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Waits for a job to change without holding a thread: a wait is a {@link JobWatch} future plus a
 * timer; a thread is taken only to read the row again after a signal (on {@code reads}, a small
 * bounded pool). Every wait registers before it reads, so a change committed between the two is
 * never missed.
 */
public final class JobWaits {
  /** The longest {@code wait} a client may ask for. */
  public static final Duration MAX_WAIT = Duration.ofSeconds(60);

  private final JobLookup lookup;
  private final JobWatch watch;
  private final Executor reads;

  public JobWaits(JobLookup lookup, JobWatch watch, Executor reads) {
    this.lookup = lookup;
    this.watch = watch;
    this.reads = reads;
  }

  /** One client's wait; {@link #cancel} when the client goes away leaves nothing registered. */
  public static final class Waiter {
    private volatile CompletableFuture<Boolean> current;
    private volatile boolean cancelled;

    public void cancel() {
      cancelled = true;
      CompletableFuture<Boolean> signal = current;
      if (signal != null) {
        signal.cancel(false);
      }
    }

    public boolean isCancelled() {
      return cancelled;
    }
  }

  /**
   * The tenant's job once it has ended, or as it is when {@code wait} runs out; empty when the
   * tenant has no such job.
   */
  public CompletableFuture<Optional<Job>> untilEnded(
      String tenantId, String jobId, Duration wait, Waiter waiter) {
    return await(tenantId, jobId, job -> job.status().isTerminal(), deadline(wait), waiter);
  }

  /**
   * The tenant's job once its status is not {@code seen} ({@code null}: at once), or as it is when
   * {@code wait} runs out; empty when the tenant has no such job.
   */
  public CompletableFuture<Optional<Job>> untilChangedFrom(
      String tenantId, String jobId, JobStatus seen, Duration wait, Waiter waiter) {
    return await(tenantId, jobId, job -> job.status() != seen, deadline(wait), waiter);
  }

  /** How many waits are registered now (monitoring, and tests that check nothing leaks). */
  public int waiting() {
    return watch.waiting();
  }

  private static long deadline(Duration wait) {
    return System.nanoTime() + wait.toNanos();
  }

  private CompletableFuture<Optional<Job>> await(
      String tenantId, String jobId, Predicate<Job> done, long deadline, Waiter waiter) {
    if (waiter.isCancelled()) {
      return CompletableFuture.failedFuture(new java.util.concurrent.CancellationException());
    }
    CompletableFuture<Boolean> signal = watch.nextChange(jobId);
    waiter.current = signal;
    if (waiter.isCancelled()) {
      signal.cancel(false); // cancel() ran between the check and the registration
    }
    return CompletableFuture.supplyAsync(() -> lookup.find(tenantId, jobId), reads)
        .whenComplete((job, failure) -> stopIfFailed(signal, failure))
        .thenCompose(job -> awaitSignal(tenantId, jobId, done, deadline, waiter, signal, job));
  }

  private CompletableFuture<Optional<Job>> awaitSignal(
      String tenantId,
      String jobId,
      Predicate<Job> done,
      long deadline,
      Waiter waiter,
      CompletableFuture<Boolean> signal,
      Optional<Job> job) {
    long remaining = deadline - System.nanoTime();
    if (job.isEmpty() || done.test(job.get()) || remaining <= 0) {
      signal.cancel(false);
      return CompletableFuture.completedFuture(job);
    }
    return signal
        .completeOnTimeout(false, remaining, TimeUnit.NANOSECONDS)
        .thenCompose(
            changed ->
                changed
                    ? await(tenantId, jobId, done, deadline, waiter)
                    : CompletableFuture.completedFuture(job));
  }

  private static void stopIfFailed(CompletableFuture<Boolean> signal, Throwable failure) {
    if (failure != null) {
      signal.cancel(false);
    }
  }
}
