package io.sluice.ratelimit;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A {@link LimitStore} in this process's memory: exact and fast, for a single instance (local mode)
 * and for tests. Instances sharing it must live in the same JVM.
 */
public final class InMemoryLimitStore implements LimitStore {
  private final ConcurrentMap<String, LimitState> states = new ConcurrentHashMap<>();

  @Override
  public <T> Step<T> update(LimitKey key, Function<LimitState, Step<T>> change) {
    AtomicReference<Step<T>> applied = new AtomicReference<>();
    states.compute(
        key.asString(),
        (k, current) -> {
          Step<T> step = change.apply(current == null ? LimitState.EMPTY : current);
          applied.set(step);
          return step.next();
        });
    return applied.get();
  }

  @Override
  public LimitState read(LimitKey key) {
    return states.getOrDefault(key.asString(), LimitState.EMPTY);
  }

  @Override
  public void ping() {
    // Memory is always there.
  }
}
