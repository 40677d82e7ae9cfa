package io.sluice.ratelimit;

import java.util.function.Function;

/**
 * One instance's connection to a shared store that a test can cut: while down, every call fails as
 * an unreachable database would, and nothing is stored.
 */
final class SwitchableStore implements LimitStore {
  private final LimitStore shared;
  private volatile boolean down;

  SwitchableStore(LimitStore shared) {
    this.shared = shared;
  }

  void down() {
    down = true;
  }

  void up() {
    down = false;
  }

  boolean isDown() {
    return down;
  }

  @Override
  public <T> Step<T> update(LimitKey key, Function<LimitState, Step<T>> change) {
    failIfDown(key);
    return shared.update(key, change);
  }

  @Override
  public LimitState read(LimitKey key) {
    failIfDown(key);
    return shared.read(key);
  }

  @Override
  public void ping() {
    failIfDown(null);
  }

  private void failIfDown(LimitKey key) {
    if (down) {
      throw new StoreUnavailableException(
          key == null ? null : key.asString(), "connection refused (test)", null);
    }
  }
}
