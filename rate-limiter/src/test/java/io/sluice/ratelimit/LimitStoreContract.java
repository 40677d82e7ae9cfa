package io.sluice.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** What every {@link LimitStore} adapter must do; one subclass per adapter. */
public abstract class LimitStoreContract {
  private static final AtomicLong KEYS = new AtomicLong();

  /** The store under test; may be shared between tests, which use keys of their own. */
  protected abstract LimitStore store();

  private static LimitKey newKey() {
    return new LimitKey(
        "openai", "contract", "model-" + KEYS.incrementAndGet() + "-" + System.nanoTime());
  }

  private static LimitState counter(long value) {
    return LimitState.EMPTY.withTats(Map.of("counter", value));
  }

  @Test
  public void shouldReadAKeyNobodyUsedAsEmpty() {
    assertThat(store().read(newKey())).isEqualTo(LimitState.EMPTY);
  }

  @Test
  public void shouldKeepEveryPartOfTheStateAnUpdateProduced() {
    LimitKey key = newKey();
    LimitState full =
        new LimitState(
            Map.of("TOKENS/60s", 1_767_225_600_123_456_789L, "REQUESTS/86400s", 42L),
            Instant.parse("2026-01-01T00:00:05.5Z"),
            new LimitState.Throttle(0.64, Instant.parse("2026-01-01T00:00:01Z")),
            Map.of(
                "worker-1",
                new LimitState.Member(Instant.parse("2026-01-01T00:00:02.25Z"), 3, 1.0 / 3)),
            List.of(
                new LimitState.Waiter(
                    "worker-1",
                    Demand.ofCall(3_950, 1_024),
                    Instant.parse("2026-01-01T00:00:01.5Z"),
                    Instant.parse("2026-01-01T00:00:09Z"))),
            new LimitState.EstimateBias(1.3125, 17),
            Map.of(
                "TOKENS/60s",
                new LimitState.Drift(
                    10_000_000_000L,
                    0.3125,
                    Instant.parse("2026-01-01T00:00:04.75Z"),
                    Instant.parse("2026-01-01T00:00:03Z"),
                    Instant.parse("2026-01-01T00:01:00Z"),
                    250_000_000L,
                    true)));

    store().update(key, state -> Step.of(full));

    assertThat(store().read(key)).isEqualTo(full);
  }

  @Test
  public void shouldReturnTheAppliedStepWithItsResult() {
    LimitKey key = newKey();

    Step<String> step = store().update(key, state -> new Step<>(counter(7), "seven"));

    assertThat(step.result()).isEqualTo("seven");
    assertThat(step.next()).isEqualTo(counter(7));
  }

  @Test
  public void shouldHandTheStoredStateToTheNextUpdate() {
    LimitKey key = newKey();
    store().update(key, state -> Step.of(counter(1)));

    Step<LimitState> step = store().update(key, state -> new Step<>(state, state));

    assertThat(step.result()).isEqualTo(counter(1));
  }

  @Test
  public void shouldKeepKeysApart() {
    LimitKey first = newKey();
    LimitKey second = newKey();

    store().update(first, state -> Step.of(counter(1)));
    store().update(second, state -> Step.of(counter(2)));

    assertThat(store().read(first)).isEqualTo(counter(1));
    assertThat(store().read(second)).isEqualTo(counter(2));
  }

  @Test
  public void shouldStoreNothingWhenTheChangeFails() {
    LimitKey key = newKey();
    store().update(key, state -> Step.of(counter(1)));

    assertThatThrownBy(
            () ->
                store()
                    .update(
                        key,
                        state -> {
                          throw new IllegalStateException("bug in a step");
                        }))
        .isInstanceOf(IllegalStateException.class);

    assertThat(store().read(key)).isEqualTo(counter(1));
  }

  @Test
  public void shouldApplyConcurrentUpdatesOfOneKeyOneAtATime() throws Exception {
    LimitKey key = newKey();
    int threads = 4;
    int perThread = 40;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<?>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        done.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < perThread; i++) {
                    store()
                        .update(
                            key,
                            state ->
                                Step.of(
                                    counter(state.bucketTats().getOrDefault("counter", 0L) + 1)));
                  }
                }));
      }
      for (Future<?> future : done) {
        future.get();
      }
    } finally {
      pool.shutdownNow();
    }

    assertThat(store().read(key)).isEqualTo(counter(threads * perThread));
  }

  @Test
  public void shouldAnswerAPing() {
    store().ping();
  }
}
