package io.sluice.lifecycle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BackgroundLoopTest {
  private static final Duration LONG = Duration.ofHours(1);

  @Test
  void runsAgainAtOnceWhileThereIsMoreAndWaitsWhenIdle() {
    AtomicInteger runs = new AtomicInteger();
    try (BackgroundLoop loop =
        new BackgroundLoop(
                "test loop",
                BackgroundLoop.Settings.idleWait(LONG),
                () ->
                    runs.incrementAndGet() < 5
                        ? BackgroundLoop.Next.MORE
                        : BackgroundLoop.Next.IDLE)
            .start()) {
      await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 5);
      // idle for an hour: a wake is the only way to run again
      loop.wake();
      await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 6);
      assertThat(loop.isAlive()).isTrue();
    }
  }

  @Test
  void backsOffWhileFailingAndRecoversBySelf() {
    AtomicInteger runs = new AtomicInteger();
    try (BackgroundLoop loop =
        new BackgroundLoop(
                "flaky loop",
                BackgroundLoop.Settings.idleWait(LONG)
                    .withBackoff(Duration.ofMillis(10), Duration.ofMillis(40)),
                () -> {
                  if (runs.incrementAndGet() <= 3) {
                    throw new IllegalStateException("store unavailable");
                  }
                  return BackgroundLoop.Next.IDLE;
                })
            .start()) {
      await().atMost(Duration.ofSeconds(5)).until(() -> runs.get() == 4);
      await().atMost(Duration.ofSeconds(5)).until(() -> !loop.isFailing());
      assertThat(loop.isAlive()).isTrue();
    }
  }

  @Test
  void closeWaitsForTheStepUnderWayAndStopsTheThread() {
    AtomicInteger finished = new AtomicInteger();
    BackgroundLoop loop =
        new BackgroundLoop(
                "slow loop",
                BackgroundLoop.Settings.idleWait(Duration.ofMillis(1)),
                () -> {
                  // a step that takes a moment; close must not cut it short
                  long until = System.nanoTime() + Duration.ofMillis(50).toNanos();
                  while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                  }
                  finished.incrementAndGet();
                  return BackgroundLoop.Next.MORE;
                })
            .start();
    await().atMost(Duration.ofSeconds(5)).until(() -> finished.get() >= 1);
    loop.close();
    int afterClose = finished.get();
    assertThat(loop.isAlive()).isFalse();
    assertThat(finished.get()).isEqualTo(afterClose);
  }

  @Test
  void refusesSettingsThatCannotWork() {
    assertThatThrownBy(() -> BackgroundLoop.Settings.idleWait(Duration.ZERO))
        .hasMessageContaining("idleWait");
    assertThatThrownBy(
            () ->
                BackgroundLoop.Settings.idleWait(LONG)
                    .withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1)))
        .hasMessageContaining("maxBackoff");
  }

  @Test
  void closeEndsALongStepThatAsksWhetherTheLoopIsStopping() {
    AtomicInteger parts = new AtomicInteger();
    BackgroundLoop loop =
        BackgroundLoop.ofLongSteps(
                "long loop",
                // close would wait an hour for a step that does not ask
                BackgroundLoop.Settings.idleWait(LONG).withStopTimeout(LONG),
                stopping ->
                    () -> {
                      while (!stopping.getAsBoolean()) {
                        parts.incrementAndGet();
                        Thread.onSpinWait();
                      }
                      return BackgroundLoop.Next.IDLE;
                    })
            .start();
    await().atMost(Duration.ofSeconds(5)).until(() -> parts.get() > 0);

    loop.close();

    assertThat(loop.isAlive()).isFalse();
  }
}
