package io.sluice.workers.internal;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.NavigableSet;
import java.util.TreeSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Wakes the pool when a deferral ends: one timer, set for the earliest instant still to come,
 * however many deferred tasks were given it. While the rate limiter binds, every task it defers is
 * given an instant, and the tasks of a key mostly share one (the instance's turn, {@link
 * AskOrder}); a timer per task woke the pool once per task at that instant, and each wake went
 * through every waiting task and every consumer.
 *
 * <p>Thread-safe.
 */
final class DeferralWakes {
  private final ScheduledExecutorService timer;
  private final Clock clock;
  private final Runnable wake;
  private final NavigableSet<Instant> due = new TreeSet<>();
  private ScheduledFuture<?> next;
  private Instant nextAt;

  /**
   * @param timer runs {@code wake}; shut down by the owner
   * @param wake what a deferral's end does ({@link SlotArbiter#deferralEnded})
   */
  DeferralWakes(ScheduledExecutorService timer, Clock clock, Runnable wake) {
    this.timer = timer;
    this.clock = clock;
    this.wake = wake;
  }

  /**
   * Wakes the pool at {@code at} (at once if it has passed), unless a wake at that instant is due.
   */
  synchronized void wakeAt(Instant at) {
    if (due.add(at) && (nextAt == null || at.isBefore(nextAt))) {
      schedule(at);
    }
  }

  private void schedule(Instant at) {
    if (next != null) {
      next.cancel(false);
    }
    long delay = Math.max(0, Duration.between(clock.instant(), at).toNanos()) + 1;
    try {
      next = timer.schedule(this::fire, delay, TimeUnit.NANOSECONDS);
      nextAt = at;
    } catch (RejectedExecutionException e) {
      next = null; // the pool is stopping: nothing is woken any more
      nextAt = null;
    }
  }

  /** Forgets the instants that have come, wakes the pool, and sets the timer for the next one. */
  private void fire() {
    synchronized (this) {
      due.headSet(clock.instant(), true).clear();
      next = null;
      nextAt = null;
      if (!due.isEmpty()) {
        schedule(due.first());
      }
    }
    wake.run();
  }
}
