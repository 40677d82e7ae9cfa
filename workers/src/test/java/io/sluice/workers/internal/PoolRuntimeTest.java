package io.sluice.workers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.lane.LanePolicy;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.testing.ManualClock;
import io.sluice.workers.Admission;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.AcknowledgeType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PoolRuntimeTest {
  private static final Instant T0 = Instant.parse("2026-03-01T12:00:00Z");
  private static final Duration MAX_HOLD = Duration.ofSeconds(30);
  private static final int DELIVERY_LIMIT = 5;

  private final HeldTasks tasks = new HeldTasks();
  private final Counters counters = new Counters();
  private final List<Task> handled = new CopyOnWriteArrayList<>();
  private PoolRuntime runtime;

  private PoolRuntime runtime(Clock clock, Function<Delivery, TaskProcessor.Outcome> handler) {
    runtime =
        new PoolRuntime(
            new SlotArbiter.Settings(new LanePolicy(), 2, 2, Admission.OPEN),
            (delivery, waits) -> {
              handled.add(delivery.task());
              return handler.apply(delivery);
            },
            null,
            clock,
            MAX_HOLD,
            DELIVERY_LIMIT,
            counters);
    return runtime;
  }

  @AfterEach
  void stop() {
    if (runtime != null) {
      runtime.stop(Duration.ofSeconds(1));
    }
  }

  private static TaskProcessor.Outcome outcome(TaskProcessor.Verdict verdict) {
    return new TaskProcessor.Outcome(verdict, null);
  }

  @Test
  void shouldRunAStartedTaskOnItsOwnThreadWithItsDecodedTaskAndHandBackTheVerdict() {
    PoolRuntime pool = runtime(Clock.systemUTC(), d -> outcome(TaskProcessor.Verdict.ACCEPT));
    HeldTask task = tasks.held(Lane.STANDARD, "gpt-4o-mini", T0);

    pool.arbiter().add(Lane.STANDARD, List.of(task));

    await().atMost(Duration.ofSeconds(5)).until(() -> tasks.verdicts.size() == 1);
    assertThat(tasks.verdicts).containsExactly(new HeldTasks.Verdict(task, AcknowledgeType.ACCEPT));
    assertThat(handled).containsExactly(task.delivery().task());
    await().atMost(Duration.ofSeconds(5)).until(() -> counters.snapshot().inFlight() == 0);
  }

  @Test
  void shouldAcknowledgeEachVerdictAsItsAcknowledgeType() {
    PoolRuntime pool = runtime(Clock.systemUTC(), d -> outcome(TaskProcessor.Verdict.ACCEPT));
    HeldTask task = tasks.held(Lane.BULK, "m", T0);

    pool.finish(task, outcome(TaskProcessor.Verdict.ACCEPT));
    pool.finish(task, outcome(TaskProcessor.Verdict.REJECT));
    pool.finish(task, outcome(TaskProcessor.Verdict.RELEASE));

    assertThat(tasks.verdicts)
        .extracting(HeldTasks.Verdict::type)
        .containsExactly(AcknowledgeType.ACCEPT, AcknowledgeType.REJECT, AcknowledgeType.RELEASE);
  }

  @Test
  void shouldKeepADeferredTaskHeldWhenItsNotBeforeIsWithinTheHoldLimit() {
    ManualClock clock = new ManualClock(T0);
    PoolRuntime pool = runtime(clock, d -> outcome(TaskProcessor.Verdict.ACCEPT));
    HeldTask task = tasks.held(Lane.STANDARD, "big-model", T0);

    pool.finish(task, new TaskProcessor.Outcome(TaskProcessor.Verdict.DEFER, T0.plus(MAX_HOLD)));

    assertThat(tasks.verdicts).isEmpty();
    var snapshot = pool.arbiter().snapshot();
    assertThat(snapshot.waitingIn(Lane.STANDARD)).containsExactly(task.waiting());
    assertThat(snapshot.deferredUntil()).containsEntry("big-model", T0.plus(MAX_HOLD));
  }

  @Test
  void shouldReleaseADeferredTaskWhoseNotBeforeIsBeyondTheHoldLimit() {
    ManualClock clock = new ManualClock(T0);
    PoolRuntime pool = runtime(clock, d -> outcome(TaskProcessor.Verdict.ACCEPT));
    HeldTask task = tasks.held(Lane.STANDARD, "big-model", T0);

    pool.finish(
        task,
        new TaskProcessor.Outcome(TaskProcessor.Verdict.DEFER, T0.plus(MAX_HOLD).plusMillis(1)));

    assertThat(tasks.verdicts)
        .containsExactly(new HeldTasks.Verdict(task, AcknowledgeType.RELEASE));
    assertThat(pool.arbiter().snapshot().waitingIn(Lane.STANDARD)).isEmpty();
  }

  @Test
  void shouldHoldAFarDeferredTaskOnItsLastDeliveryButOneRatherThanReleaseItTowardsPoison() {
    ManualClock clock = new ManualClock(T0);
    PoolRuntime pool = runtime(clock, d -> outcome(TaskProcessor.Verdict.ACCEPT));
    HeldTask third = tasks.held(Lane.STANDARD, "big-model", T0, DELIVERY_LIMIT - 2);
    HeldTask fourth = tasks.held(Lane.STANDARD, "big-model", T0, DELIVERY_LIMIT - 1);
    Instant far = T0.plus(MAX_HOLD).plusSeconds(60);

    pool.finish(third, new TaskProcessor.Outcome(TaskProcessor.Verdict.DEFER, far));
    pool.finish(fourth, new TaskProcessor.Outcome(TaskProcessor.Verdict.DEFER, far));

    assertThat(tasks.verdicts)
        .containsExactly(new HeldTasks.Verdict(third, AcknowledgeType.RELEASE));
    assertThat(pool.arbiter().snapshot().waitingIn(Lane.STANDARD))
        .containsExactly(fourth.waiting());
  }

  @Test
  void shouldStartADeferredTaskAgainWhenItsDeferralEnds() {
    AtomicInteger calls = new AtomicInteger();
    Clock clock = Clock.systemUTC();
    PoolRuntime pool =
        runtime(
            clock,
            d ->
                calls.incrementAndGet() == 1
                    ? new TaskProcessor.Outcome(
                        TaskProcessor.Verdict.DEFER, clock.instant().plusMillis(300))
                    : outcome(TaskProcessor.Verdict.ACCEPT));
    HeldTask task = tasks.held(Lane.INTERACTIVE, "gpt-4o-mini", clock.instant());

    pool.arbiter().add(Lane.INTERACTIVE, List.of(task));

    await().atMost(Duration.ofSeconds(5)).until(() -> tasks.verdicts.size() == 1);
    assertThat(calls).hasValue(2);
    assertThat(tasks.verdicts).containsExactly(new HeldTasks.Verdict(task, AcknowledgeType.ACCEPT));
  }

  @Test
  void shouldGiveWaitingTasksAChanceToStartOnEveryTick() {
    ManualClock clock = new ManualClock(T0);
    PoolRuntime pool = runtime(clock, d -> outcome(TaskProcessor.Verdict.ACCEPT));
    HeldTask task = tasks.held(Lane.BULK, "m", T0);
    pool.finish(task, new TaskProcessor.Outcome(TaskProcessor.Verdict.DEFER, T0.plusSeconds(1)));
    clock.advance(Duration.ofSeconds(1));

    pool.tick();

    await().atMost(Duration.ofSeconds(5)).until(() -> tasks.verdicts.size() == 1);
    assertThat(handled).containsExactly(task.delivery().task());
  }
}
