package io.sluice.ratelimit;

class InMemoryLimitStoreTest extends LimitStoreContract {
  private final InMemoryLimitStore store = new InMemoryLimitStore();

  @Override
  protected LimitStore store() {
    return store;
  }
}
