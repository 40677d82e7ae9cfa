package io.sluice.batch;

import static io.sluice.batch.DeferredLaneFixture.ANTHROPIC_MODEL;
import static io.sluice.batch.DeferredLaneFixture.OPENAI_MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.providers.BatchItemResult;
import io.sluice.providers.BatchProvider;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.task.TaskResult;
import io.sluice.simulator.BatchSettings;
import io.sluice.simulator.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Errored, expired and missing lines: only those go again, each alone, within bounded attempts. */
class PartialFailureTest {
  private DeferredLaneFixture world;
  private Thread clockDriver;
  private final AtomicBoolean driving = new AtomicBoolean(true);

  @AfterEach
  void stop() throws InterruptedException {
    driving.set(false);
    if (clockDriver != null) {
      clockDriver.join(2_000);
    }
    if (world != null) {
      world.close();
    }
  }

  @Test
  void shouldResubmitOnlyTheLinesThatFailedEachAloneUntilTheySucceed() {
    world = new DeferredLaneFixture(BatchSettings.DEFAULT.withErrorShare(0.3), null);
    world.start(world.settings().maxAttempts(12).linger(Duration.ofSeconds(2)).build());

    for (int i = 0; i < 20; i++) {
      world.send("openai", OPENAI_MODEL, "t" + i + ".c", "reverse: line" + i);
    }
    world.awaitResults(20, Duration.ofSeconds(90));

    int resubmissions = 0;
    for (int i = 0; i < 20; i++) {
      TaskResult result = world.results.get("t" + i + ".c");
      assertThat(result.outcome()).isEqualTo(TaskOutcome.SUCCEEDED);
      assertThat(result.output()).isEqualTo(new StringBuilder("line" + i).reverse().toString());
      resubmissions += result.attempts() - 1;
    }
    List<Integer> lineCounts = world.lineCounts("openai");
    assertThat(resubmissions).isPositive();
    assertThat(lineCounts.getFirst()).isEqualTo(20);
    assertThat(lineCounts.subList(1, lineCounts.size())).hasSize(resubmissions).containsOnly(1);
    assertThat(world.providerBatches("openai")).isEqualTo(1 + resubmissions);
  }

  @Test
  void shouldFailAPermanentErrorAtOnceAndSendARetriableOneToTheRealtimeLaneWhenOutOfAttempts() {
    world = new DeferredLaneFixture(BatchSettings.DEFAULT, null);
    world.start(world.settings().maxAttempts(2).linger(Duration.ofSeconds(1)).build());

    for (String provider : List.of("openai", "anthropic")) {
      String model = provider.equals("openai") ? OPENAI_MODEL : ANTHROPIC_MODEL;
      world.send(provider, model, provider + "-ok.c", "reverse: abc");
      world.send(provider, model, provider + "-bad.c", "#sim error=400\nreverse: abc");
      world.send(provider, model, provider + "-flaky.c", "#sim error=500\nreverse: abc");
    }
    world.awaitResults(4, Duration.ofSeconds(60));
    for (String provider : List.of("openai", "anthropic")) {
      await("the flaky " + provider + " task on the realtime lane")
          .atMost(Duration.ofSeconds(60))
          .until(() -> world.realtimeTasks(provider, Lane.STANDARD), tasks -> !tasks.isEmpty());
    }

    for (String provider : List.of("openai", "anthropic")) {
      TaskResult ok = world.results.get(provider + "-ok.c");
      assertThat(ok.outcome()).isEqualTo(TaskOutcome.SUCCEEDED);
      assertThat(ok.output()).isEqualTo("cba");
      TaskResult bad = world.results.get(provider + "-bad.c");
      assertThat(bad.outcome()).isEqualTo(TaskOutcome.FAILED);
      assertThat(bad.attempts()).isEqualTo(1);
      assertThat(bad.error().retriable()).isFalse();
      assertThat(bad.error().message()).contains("HTTP 400");
      assertThat(world.results).doesNotContainKey(provider + "-flaky.c");
      assertThat(world.realtimeTasks(provider, Lane.STANDARD))
          .singleElement()
          .extracting(Task::taskId)
          .isEqualTo(provider + "-flaky.c");
      assertThat(world.lineCounts(provider)).containsExactly(3, 1);
      assertThat(world.providerBatches(provider)).isEqualTo(2);
    }
  }

  @Test
  void shouldResubmitExpiredLinesAloneAndSendThemToTheRealtimeLaneWhenTheyExpireEveryTime() {
    ManualClock simClock = new ManualClock(Instant.now());
    world =
        new DeferredLaneFixture(
            BatchSettings.DEFAULT
                .withProcessingTime(Duration.ofSeconds(60))
                .withCompletionWindow(Duration.ofSeconds(35)),
            simClock);
    clockDriver =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  while (driving.get()) {
                    simClock.advance(Duration.ofSeconds(1));
                    java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
                  }
                });
    world.start(world.settings().maxAttempts(2).linger(Duration.ofSeconds(1)).build());

    for (int i = 0; i < 4; i++) {
      world.send("openai", OPENAI_MODEL, "e" + i + ".c", "reverse: e" + i);
    }
    world.awaitResults(2, Duration.ofSeconds(60));
    await("the lines that expired twice on the realtime lane")
        .atMost(Duration.ofSeconds(60))
        .until(() -> world.realtimeTasks("openai", Lane.STANDARD), tasks -> tasks.size() == 2);

    assertThat(world.results.values())
        .hasSize(2)
        .allSatisfy(r -> assertThat(r.outcome()).isEqualTo(TaskOutcome.SUCCEEDED));
    Set<String> finished = world.results.keySet();
    assertThat(world.realtimeTasks("openai", Lane.STANDARD))
        .extracting(Task::taskId)
        .doesNotContainAnyElementsOf(finished)
        .allMatch(id -> id.matches("e[0-3]\\.c"));
    assertThat(world.lineCounts("openai")).containsExactly(4, 1, 1);
  }

  @Test
  void shouldResubmitALineMissingFromTheResultsAlone() {
    world = new DeferredLaneFixture(BatchSettings.DEFAULT, null);
    Set<String> dropped = ConcurrentHashMap.newKeySet();
    world.start(
        world
            .settings()
            .linger(Duration.ofSeconds(1))
            .batchProviders(DeferredLaneFixture.adapters(p -> dropFirstLine(p, dropped)))
            .build());

    for (int i = 0; i < 3; i++) {
      world.send("anthropic", ANTHROPIC_MODEL, "m" + i + ".c", "reverse: m" + i);
    }
    world.awaitResults(3, Duration.ofSeconds(60));

    assertThat(dropped).hasSize(1);
    assertThat(world.results.values()).allMatch(r -> r.outcome() == TaskOutcome.SUCCEEDED);
    assertThat(world.results.values())
        .extracting(TaskResult::attempts)
        .containsExactlyInAnyOrder(1, 1, 2);
    assertThat(world.lineCounts("anthropic")).containsExactly(3, 1);
  }

  /** Drops one line from the results of the first batch with more than one line. */
  private static BatchProvider dropFirstLine(BatchProvider provider, Set<String> dropped) {
    return new ForwardingBatchProvider(provider) {
      @Override
      public List<BatchItemResult> results(String batchId) {
        List<BatchItemResult> all = delegate.results(batchId);
        if (all.size() > 1
            && (dropped.isEmpty() || dropped.contains(batchId + "/" + all.getFirst().customId()))) {
          dropped.add(batchId + "/" + all.getFirst().customId());
          return all.subList(1, all.size());
        }
        return all;
      }
    };
  }
}
