package io.sluice.jobapi.watch;

import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Who waits for a change of which job, without a thread per waiter: each waiter is a future,
 * completed ({@code true}) by the next change signal of its job. A future leaves the registry when
 * it completes in any way: signalled, timed out ({@code completeOnTimeout}) or cancelled (the
 * client went away), so nothing stays behind a waiter.
 *
 * <p>A signal is a hint that the job's row changed; waiters read the row again to see how.
 */
public final class JobWatch {
  private final ConcurrentHashMap<String, Set<CompletableFuture<Boolean>>> waiters =
      new ConcurrentHashMap<>();

  /** A future completed with {@code true} by the job's next change signal. */
  public CompletableFuture<Boolean> nextChange(String jobId) {
    CompletableFuture<Boolean> signal = new CompletableFuture<>();
    // Added inside compute: atomic with changed()'s remove, so no signal joins a set already taken.
    waiters.compute(
        jobId,
        (id, signals) -> {
          Set<CompletableFuture<Boolean>> joined =
              signals == null ? ConcurrentHashMap.newKeySet() : signals;
          joined.add(signal);
          return joined;
        });
    signal.whenComplete((changed, failure) -> remove(jobId, signal));
    return signal;
  }

  /** Wakes every waiter of this job. */
  public void changed(String jobId) {
    Set<CompletableFuture<Boolean>> signals = waiters.remove(jobId);
    if (signals != null) {
      signals.forEach(signal -> signal.complete(true));
    }
  }

  /** Wakes every waiter (after signals may have been missed, e.g. a lost connection). */
  public void changedAll() {
    waiters.keySet().forEach(this::changed);
  }

  /** How many waiters are registered now. */
  public int waiting() {
    return waiters.values().stream().mapToInt(Set::size).sum();
  }

  private void remove(String jobId, CompletableFuture<Boolean> signal) {
    waiters.computeIfPresent(
        jobId,
        (id, signals) -> {
          signals.remove(signal);
          return signals.isEmpty() ? null : signals;
        });
  }
}
