package io.sluice.workers;

import io.sluice.providers.CompletionResponse;
import io.sluice.providers.ProviderException;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.workers.internal.ConcurrencyAdmission;
import java.time.Instant;

/**
 * The one admission seam of a pool, asked at two moments:
 *
 * <ol>
 *   <li><b>slot</b>: before a held task starts ({@link #tryAcquire(Lane)}), by the pool's slot
 *       arbiter after the lane policy chose the task; the slot is given back with {@link
 *       #release(Lane)} when the task ends or is deferred;
 *   <li><b>call</b>: before every provider call of a started task ({@link #admit(Task)}), by the
 *       task processor: the rate limiter answers here, and the call's charge is settled through the
 *       {@link Permit}.
 * </ol>
 *
 * The pool counts its own {@link WorkerSettings#concurrency()} slots; an implementation adds its
 * own conditions (and a rate-limited pool chains the rate limiter after it). Implementations shared
 * by several pools, or answering from several task threads, must be thread-safe.
 */
public interface Admission {
  /** Admits every task and every call. */
  Admission OPEN =
      new Admission() {
        @Override
        public boolean tryAcquire(Lane lane) {
          return true;
        }

        @Override
        public void release(Lane lane) {}
      };

  /** Whether one more task of this lane may start now; if so, a slot is held for it. */
  boolean tryAcquire(Lane lane);

  /** Gives back a slot taken with {@link #tryAcquire(Lane)}. */
  void release(Lane lane);

  /** Whether a provider call of this started task may go now (default: at once, uncharged). */
  default Decision admit(Task task) {
    return new Go(Permit.NONE);
  }

  /** Admits up to {@code concurrency} tasks at once across all lanes; every call at once. */
  static Admission upTo(int concurrency) {
    return new ConcurrencyAdmission(concurrency);
  }

  /** The answer for one call. */
  sealed interface Decision {}

  /** Call now; settle the permit exactly once. */
  record Go(Permit permit) implements Decision {}

  /** Not before {@code notBefore}; nothing was charged. */
  record Wait(Instant notBefore, String blockedBy) implements Decision {}

  /** Never: the call is larger than the limit allows. */
  record Never(String reason) implements Decision {}

  /** The charge of one admitted call, settled once with how the call ended. */
  interface Permit {
    /** Nothing to settle. */
    Permit NONE =
        new Permit() {
          @Override
          public void succeeded(CompletionResponse response) {}

          @Override
          public void failed(ProviderException failure) {}

          @Override
          public void notCalled() {}
        };

    /** The call returned: settle with its actual usage. */
    void succeeded(CompletionResponse response);

    /** The call was made and failed (usage unknown; a 429 is reported to the limiter). */
    void failed(ProviderException failure);

    /** The call was never made. */
    void notCalled();
  }
}
