package io.sluice.batch;

import static io.sluice.batch.DeferredLaneFixture.ANTHROPIC_MODEL;
import static io.sluice.batch.DeferredLaneFixture.OPENAI_MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.batch.plan.ItemState;
import io.sluice.providers.pricing.PriceTable;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.task.TaskResult;
import io.sluice.simulator.BatchSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Deadlines on real Kafka, PostgreSQL and the simulator: a task whose batch would not finish in
 * time moves to the realtime lane (and is never submitted again), one already late is expired.
 */
class DeadlineTest {
  private DeferredLaneFixture world;

  @AfterEach
  void stop() {
    if (world != null) {
      world.close();
    }
  }

  @Test
  void shouldRunATaskWhoseBatchWouldMissItsDeadlineOnTheRealtimeLaneAndStillPublishTheBatchLine() {
    world =
        new DeferredLaneFixture(
            BatchSettings.DEFAULT.withProcessingTime(Duration.ofSeconds(16)), null);
    world.start(world.settings().deadlineRealtimeLead(Duration.ofSeconds(12)).build());

    Task sent =
        world.send(
            "openai", OPENAI_MODEL, "late.c", "reverse: abc", 10, Instant.now().plusSeconds(20));

    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                world.placements("late.c").stream()
                    .anyMatch(p -> p.stage() == Placement.Stage.REALTIME_FALLBACK));
    List<Task> onStandard =
        await()
            .atMost(Duration.ofSeconds(20))
            .until(() -> world.realtimeTasks("openai", Lane.STANDARD), tasks -> !tasks.isEmpty());
    assertThat(onStandard).hasSize(1);
    Task fallback = onStandard.getFirst();
    assertThat(fallback.taskId()).isEqualTo("late.c");
    assertThat(fallback.lane()).isEqualTo(Lane.STANDARD);
    assertThat(fallback.request()).isEqualTo(sent.request());
    assertThat(fallback.deadline()).isEqualTo(sent.deadline());
    List<Placement> placements = world.placements("late.c");
    assertThat(placements)
        .extracting(Placement::stage)
        .containsExactly(
            Placement.Stage.PENDING,
            Placement.Stage.IN_PROVIDER_BATCH,
            Placement.Stage.REALTIME_FALLBACK);
    assertThat(world.item("late.c").state()).isEqualTo(ItemState.FALLEN_BACK);

    // the batch still returns the line: its result is published (the call was made and billed)
    world.awaitResults(1, Duration.ofSeconds(40));
    TaskResult fromBatch = world.results.get("late.c");
    assertThat(fromBatch.outcome()).isEqualTo(TaskOutcome.SUCCEEDED);
    assertThat(fromBatch.costUsd())
        .isEqualByComparingTo(PriceTable.defaults().batchCost(OPENAI_MODEL, fromBatch.usage()));
    assertThat(fromBatch.placement()).isEqualTo(placements.getLast());
    assertThat(world.lineCounts("openai")).containsExactly(1);
    assertThat(world.providerBatches("openai")).isEqualTo(1);
    assertThat(world.realtimeTasks("openai", Lane.STANDARD)).hasSize(1);
  }

  @Test
  void shouldMoveAPendingTaskToTheRealtimeLaneAndNeverSubmitItAfterwards() {
    world = new DeferredLaneFixture(BatchSettings.DEFAULT, null);
    world.start(
        world
            .settings()
            .linger(Duration.ofSeconds(10))
            .deadlineLead(Duration.ofMillis(1))
            .deadlineRealtimeLead(Duration.ofSeconds(6))
            .build());

    world.send(
        "anthropic", ANTHROPIC_MODEL, "soon.c", "reverse: abc", 10, Instant.now().plusSeconds(8));
    world.send("anthropic", ANTHROPIC_MODEL, "calm.c", "reverse: xyz");

    await()
        .atMost(Duration.ofSeconds(20))
        .until(() -> !world.realtimeTasks("anthropic", Lane.STANDARD).isEmpty());
    assertThat(world.placements("soon.c"))
        .extracting(Placement::stage)
        .containsExactly(Placement.Stage.PENDING, Placement.Stage.REALTIME_FALLBACK);
    world.awaitResults(1, Duration.ofSeconds(30));
    assertThat(world.results).containsOnlyKeys("calm.c");
    assertThat(world.lineCounts("anthropic")).containsExactly(1);
    await()
        .during(Duration.ofSeconds(2))
        .atMost(Duration.ofSeconds(5))
        .until(() -> world.lineCounts("anthropic").size() == 1);
    assertThat(world.item("soon.c").state()).isEqualTo(ItemState.FALLEN_BACK);
    assertThat(world.item("soon.c").attempts()).isZero();
    assertThat(world.realtimeTasks("anthropic", Lane.STANDARD))
        .extracting(Task::taskId)
        .containsExactly("soon.c");
  }

  @Test
  void shouldExpireATaskWhoseDeadlineHasPassedInsteadOfSubmittingIt() {
    world = new DeferredLaneFixture(BatchSettings.DEFAULT, null);
    world.start(world.settings().build());

    world.send("openai", OPENAI_MODEL, "gone.c", "reverse: abc", 10, Instant.now().minusSeconds(1));
    world.awaitResults(1, Duration.ofSeconds(30));

    TaskResult expired = world.results.get("gone.c");
    assertThat(expired.outcome()).isEqualTo(TaskOutcome.EXPIRED);
    assertThat(expired.error().code()).isEqualTo("deadline_exceeded");
    assertThat(expired.attempts()).isZero();
    assertThat(expired.placement().stage()).isEqualTo(Placement.Stage.PENDING);
    assertThat(world.lineCounts("openai")).isEmpty();
    assertThat(world.providerBatches("openai")).isZero();
    assertThat(world.realtimeTasks("openai", Lane.STANDARD)).isEmpty();
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> world.itemsByState().get(ItemState.PUBLISHED) == 1);
  }
}
