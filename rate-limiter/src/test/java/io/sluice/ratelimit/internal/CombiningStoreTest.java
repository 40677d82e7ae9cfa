package io.sluice.ratelimit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.sluice.ratelimit.InMemoryLimitStore;
import io.sluice.ratelimit.LimitKey;
import io.sluice.ratelimit.LimitState;
import io.sluice.ratelimit.LimitStore;
import io.sluice.ratelimit.LimitStoreContract;
import io.sluice.ratelimit.Step;
import io.sluice.ratelimit.StoreUnavailableException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CombiningStoreTest extends LimitStoreContract {
  private static final LimitKey KEY = new LimitKey("openai", "combining", "gpt-4o-mini");

  private final GatedStore gated = new GatedStore(new InMemoryLimitStore());
  private final CombiningStore store = new CombiningStore(gated);
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @Override
  protected LimitStore store() {
    return store;
  }

  @AfterEach
  void stopThreads() {
    gated.open();
    threads.shutdownNow();
  }

  @Test
  void shouldApplyEveryChangeThatQueuedBehindABusyUpdateInOneUpdateOfTheStore() throws Exception {
    gated.close();
    Future<Step<Long>> first = threads.submit(() -> store.update(KEY, CombiningStoreTest::count));
    await().until(() -> gated.waiting.get() == 1);
    List<Future<Step<Long>>> queued = new ArrayList<>();
    for (int i = 0; i < 20; i++) {
      queued.add(threads.submit(() -> store.update(KEY, CombiningStoreTest::count)));
    }
    await().until(() -> store.queued(KEY) == 20);

    gated.open();

    List<Long> seen = new ArrayList<>(List.of(first.get(5, TimeUnit.SECONDS).result()));
    for (Future<Step<Long>> future : queued) {
      seen.add(future.get(5, TimeUnit.SECONDS).result());
    }
    assertThat(seen).containsExactlyInAnyOrderElementsOf(range(1, 22));
    assertThat(gated.updates.get()).isEqualTo(2);
    assertThat(store.read(KEY)).isEqualTo(counter(21));
  }

  @Test
  void shouldFailOnlyTheCallerWhoseChangeThrowsAndApplyTheRestOfItsBatch() throws Exception {
    gated.close();
    Future<Step<Long>> first = threads.submit(() -> store.update(KEY, CombiningStoreTest::count));
    await().until(() -> gated.waiting.get() == 1);
    Future<Step<Long>> before = threads.submit(() -> store.update(KEY, CombiningStoreTest::count));
    await().until(() -> store.queued(KEY) == 1);
    Future<Step<Long>> broken =
        threads.submit(
            () ->
                store.update(
                    KEY,
                    state -> {
                      throw new IllegalStateException("bug in a step");
                    }));
    await().until(() -> store.queued(KEY) == 2);
    Future<Step<Long>> after = threads.submit(() -> store.update(KEY, CombiningStoreTest::count));
    await().until(() -> store.queued(KEY) == 3);

    gated.open();

    assertThat(first.get(5, TimeUnit.SECONDS).result()).isEqualTo(1);
    assertThat(before.get(5, TimeUnit.SECONDS).result()).isEqualTo(2);
    assertThatThrownBy(() -> broken.get(5, TimeUnit.SECONDS))
        .hasCauseInstanceOf(IllegalStateException.class);
    assertThat(after.get(5, TimeUnit.SECONDS).result()).isEqualTo(3);
    assertThat(store.read(KEY)).isEqualTo(counter(3));
  }

  @Test
  void shouldFailEveryChangeOfABatchTheStoreCouldNotTakeAndKeepWorkingAfterwards()
      throws Exception {
    gated.close();
    Future<Step<Long>> first = threads.submit(() -> store.update(KEY, CombiningStoreTest::count));
    await().until(() -> gated.waiting.get() == 1);
    List<Future<Step<Long>>> queued = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      queued.add(threads.submit(() -> store.update(KEY, CombiningStoreTest::count)));
    }
    await().until(() -> store.queued(KEY) == 3);
    gated.failUpdate.set(2);

    gated.open();

    assertThat(first.get(5, TimeUnit.SECONDS).result()).isEqualTo(1);
    for (Future<Step<Long>> future : queued) {
      assertThatThrownBy(() -> future.get(5, TimeUnit.SECONDS))
          .hasCauseInstanceOf(StoreUnavailableException.class);
    }
    assertThat(store.update(KEY, CombiningStoreTest::count).result()).isEqualTo(2);
  }

  private static Step<Long> count(LimitState state) {
    long next = state.bucketTats().getOrDefault("counter", 0L) + 1;
    return new Step<>(counter(next), next);
  }

  private static LimitState counter(long value) {
    return LimitState.EMPTY.withTats(Map.of("counter", value));
  }

  private static List<Long> range(long from, long toExclusive) {
    List<Long> values = new ArrayList<>();
    for (long v = from; v < toExclusive; v++) {
      values.add(v);
    }
    return values;
  }

  /** A store whose updates can be held at a gate and counted, and whose n-th update can fail. */
  private static final class GatedStore implements LimitStore {
    private final LimitStore store;
    private final AtomicInteger updates = new AtomicInteger();
    private final AtomicInteger waiting = new AtomicInteger();
    private final AtomicInteger failUpdate = new AtomicInteger();
    private volatile CountDownLatch gate = new CountDownLatch(0);

    private GatedStore(LimitStore store) {
      this.store = store;
    }

    void close() {
      gate = new CountDownLatch(1);
    }

    void open() {
      gate.countDown();
    }

    @Override
    public <T> Step<T> update(LimitKey key, Function<LimitState, Step<T>> change) {
      waiting.incrementAndGet();
      try {
        gate.await();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new StoreUnavailableException(key.asString(), "interrupted", e);
      } finally {
        waiting.decrementAndGet();
      }
      if (updates.incrementAndGet() == failUpdate.get()) {
        throw new StoreUnavailableException(key.asString(), "store down", null);
      }
      return store.update(key, change);
    }

    @Override
    public LimitState read(LimitKey key) {
      return store.read(key);
    }

    @Override
    public void ping() {
      store.ping();
    }
  }
}
