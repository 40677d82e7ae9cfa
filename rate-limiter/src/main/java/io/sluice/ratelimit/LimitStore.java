package io.sluice.ratelimit;

import java.util.function.Function;

/**
 * Where the shared {@link LimitState} of each key lives: the port between the pure {@link
 * LimitCore} and storage. One adapter per storage ({@link InMemoryLimitStore} for one process,
 * {@code PostgresLimitStore} for many); all pass the same contract test.
 *
 * <p>Failures to reach the storage are reported as {@link StoreUnavailableException}, on which the
 * {@link RateLimiter} falls back to its safe local share.
 */
public interface LimitStore {

  /**
   * Atomically reads the key's state ({@link LimitState#EMPTY} if it has none), applies {@code
   * change} and stores its next state: no other update of the same key happens in between.
   *
   * @param change a pure function; it may be applied more than once, and its step may be lost if
   *     the call throws
   * @return the applied step
   * @throws StoreUnavailableException when the storage cannot be reached in time; the change may or
   *     may not have been stored
   */
  <T> Step<T> update(LimitKey key, Function<LimitState, Step<T>> change);

  /**
   * The key's current state ({@link LimitState#EMPTY} if it has none), without locking.
   *
   * @throws StoreUnavailableException when the storage cannot be reached in time
   */
  LimitState read(LimitKey key);

  /**
   * Checks that the storage answers, without changing anything.
   *
   * @throws StoreUnavailableException when it does not
   */
  void ping();
}
