package io.sluice.jobapi.webhook.internal;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Wakes the sender when deliveries were enqueued in this process, instead of leaving them to its
 * idle poll. The enqueuer signals inside the projection's transaction, which commits right after;
 * the wake follows {@code settle} later, so that the sender finds the committed rows, and signals
 * within that time make one wake (one claim for many deliveries under load). Deliveries enqueued by
 * another instance are still found by the idle poll.
 */
final class EnqueueWake implements AutoCloseable {
  private final Duration settle;
  private final ScheduledExecutorService timer =
      Executors.newSingleThreadScheduledExecutor(
          r -> Thread.ofPlatform().daemon().name("sluice-webhook-enqueue-wake").unstarted(r));
  private final AtomicBoolean pending = new AtomicBoolean();
  private volatile Runnable target = () -> {};

  EnqueueWake(Duration settle) {
    this.settle = settle;
  }

  /** What to wake (the sender loop's wake). */
  void wakes(Runnable value) {
    this.target = value;
  }

  /** Deliveries were enqueued in a transaction about to commit. */
  void signal() {
    if (pending.compareAndSet(false, true) && !timer.isShutdown()) {
      timer.schedule(this::fire, settle.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  private void fire() {
    pending.set(false);
    target.run();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
