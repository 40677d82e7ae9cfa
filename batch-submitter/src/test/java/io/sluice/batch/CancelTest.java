package io.sluice.batch;

import static io.sluice.batch.DeferredLaneFixture.OPENAI_MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.batch.plan.BatchPhase;
import io.sluice.batch.plan.ItemState;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.task.TaskResult;
import io.sluice.simulator.BatchSettings;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Cancels on {@code jobs.control} in the deferred lane, on real Kafka, PostgreSQL and the
 * simulator: a pending item is never submitted, a task whose cancel overtook it is never submitted
 * nor placed, and the line of an item already in a provider batch is ignored when it returns.
 */
class CancelTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private DeferredLaneFixture world;

  @AfterEach
  void stop() {
    if (world != null) {
      world.close();
    }
  }

  @Test
  void shouldDropPendingAndLateTasksAndIgnoreTheLineOfACancelledItemInABatch() {
    BatchSettings slowBatches =
        new BatchSettings(
            Duration.ofMillis(100),
            Duration.ofSeconds(4),
            Duration.ofHours(24),
            0.0,
            Duration.ofMillis(100),
            7);
    world = new DeferredLaneFixture(slowBatches, null);
    world.start(world.settings().linger(Duration.ofSeconds(3)).build());

    world.cancel("job-late.c");
    await().atMost(WAIT).until(() -> world.itemsByState().values().stream().allMatch(n -> n == 0));
    world.send("openai", OPENAI_MODEL, "late.c", "reverse: too late");
    world.send("openai", OPENAI_MODEL, "gone.c", "reverse: gone");
    world.cancel("job-gone.c");
    world.send("openai", OPENAI_MODEL, "kept.c", "reverse: kept");
    world.send("openai", OPENAI_MODEL, "inbatch.c", "reverse: in batch");

    await().atMost(WAIT).until(() -> world.item("inbatch.c").state() == ItemState.IN_BATCH);
    world.cancel("job-inbatch.c");
    await().atMost(WAIT).until(() -> world.item("inbatch.c").state() == ItemState.CANCELLED);
    world.awaitResults(1, WAIT);
    await().atMost(WAIT).until(() -> world.batchesByPhase().get(BatchPhase.PUBLISHED) == 1);

    assertThat(world.results.get("kept.c").outcome()).isEqualTo(TaskOutcome.SUCCEEDED);
    assertThat(world.results).containsOnlyKeys("kept.c");
    for (String taskId : List.of("late.c", "gone.c", "inbatch.c")) {
      assertThat(world.item(taskId).state()).as(taskId).isEqualTo(ItemState.CANCELLED);
    }
    assertThat(world.lineCounts("openai"))
        .as("one batch, with the kept task and the one cancelled after it went in")
        .containsExactly(2);
    assertThat(world.placements("late.c")).as("a task cancelled before it came").isEmpty();
    assertThat(world.everything)
        .filteredOn(result -> result.taskId().equals("inbatch.c"))
        .extracting(TaskResult::outcome)
        .as("no result for the line of the cancelled item")
        .containsOnly(TaskOutcome.PLACED);
  }
}
