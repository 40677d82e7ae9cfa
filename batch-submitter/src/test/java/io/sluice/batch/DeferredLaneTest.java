package io.sluice.batch;

import static io.sluice.batch.DeferredLaneFixture.ANTHROPIC_MODEL;
import static io.sluice.batch.DeferredLaneFixture.OPENAI_MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.batch.plan.BatchPhase;
import io.sluice.batch.plan.ItemState;
import io.sluice.providers.pricing.PriceTable;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.task.TaskResult;
import io.sluice.schemas.topic.DeadLetter;
import io.sluice.simulator.BatchSettings;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Deferred tasks through real Kafka, PostgreSQL and the simulator's batch APIs. */
class DeferredLaneTest {
  private DeferredLaneFixture world;

  @AfterEach
  void stop() {
    if (world != null) {
      world.close();
    }
  }

  @Test
  void shouldRunDeferredTasksOfBothProvidersThroughOneBatchEachAtTheBatchPrice() {
    world = new DeferredLaneFixture(BatchSettings.DEFAULT, null);
    world.start(world.settings().linger(Duration.ofSeconds(2)).build());

    for (int i = 0; i < 4; i++) {
      world.send("openai", OPENAI_MODEL, "o" + i + ".c", "reverse: abc" + i);
      world.send("anthropic", ANTHROPIC_MODEL, "a" + i + ".c", "reverse: xyz" + i);
    }
    world.awaitResults(8, Duration.ofSeconds(60));

    PriceTable prices = PriceTable.defaults();
    for (int i = 0; i < 4; i++) {
      TaskResult openai = world.results.get("o" + i + ".c");
      assertThat(openai.outcome()).isEqualTo(TaskOutcome.SUCCEEDED);
      assertThat(openai.output()).isEqualTo(i + "cba");
      assertThat(openai.provider()).isEqualTo("openai");
      assertThat(openai.costUsd())
          .isEqualByComparingTo(prices.batchCost(OPENAI_MODEL, openai.usage()));
      assertThat(openai.costUsd().multiply(BigDecimal.TWO))
          .isEqualByComparingTo(prices.realtimeCost(OPENAI_MODEL, openai.usage()));
      assertThat(openai.realtimeCostUsd())
          .isEqualByComparingTo(prices.realtimeCost(OPENAI_MODEL, openai.usage()));
      assertThat(openai.usage().inputTokens()).isPositive();
      assertThat(openai.attempts()).isEqualTo(1);
      TaskResult anthropic = world.results.get("a" + i + ".c");
      assertThat(anthropic.outcome()).isEqualTo(TaskOutcome.SUCCEEDED);
      assertThat(anthropic.output()).isEqualTo(i + "zyx");
      assertThat(anthropic.costUsd())
          .isEqualByComparingTo(prices.batchCost(ANTHROPIC_MODEL, anthropic.usage()));
      assertThat(anthropic.costUsd()).isPositive();
    }
    assertThat(world.providerBatches("openai")).isEqualTo(1);
    assertThat(world.providerBatches("anthropic")).isEqualTo(1);
    for (String taskId : List.of("o0.c", "a3.c")) {
      List<Placement> placements = world.placements(taskId);
      assertThat(placements)
          .extracting(Placement::stage)
          .containsExactly(Placement.Stage.PENDING, Placement.Stage.IN_PROVIDER_BATCH);
      Placement inBatch = placements.get(1);
      assertThat(inBatch.providerBatchId()).isNotBlank();
      assertThat(inBatch.attempt()).isEqualTo(1);
      assertThat(world.results.get(taskId).placement()).isEqualTo(inBatch);
      assertThat(placedBeforeTheResult(taskId)).isTrue();
    }
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> world.batchesByPhase().get(BatchPhase.PUBLISHED) == 2);
    assertThat(world.itemsByState().get(ItemState.PUBLISHED)).isEqualTo(8);
  }

  /** Whether every placement of the task was read before its terminal result. */
  private boolean placedBeforeTheResult(String taskId) {
    synchronized (world.everything) {
      List<TaskOutcome> outcomes =
          world.everything.stream()
              .filter(r -> r.taskId().equals(taskId))
              .map(TaskResult::outcome)
              .toList();
      return outcomes.lastIndexOf(TaskOutcome.PLACED) < outcomes.indexOf(TaskOutcome.SUCCEEDED);
    }
  }

  @Test
  void shouldKeepATaskDeliveredTwiceAsOneItem() {
    world = new DeferredLaneFixture(BatchSettings.DEFAULT, null);
    world.start(world.settings().build());

    world.send("openai", OPENAI_MODEL, "dup.c", "reverse: abc");
    world.send("openai", OPENAI_MODEL, "dup.c", "reverse: abc");
    world.awaitResults(1, Duration.ofSeconds(30));

    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> world.itemsByState().get(ItemState.PUBLISHED) == 1);
    assertThat(world.itemsByState().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(1);
    assertThat(world.allResults).hasSize(1);
    assertThat(world.placements("dup.c"))
        .extracting(Placement::stage)
        .containsExactly(Placement.Stage.PENDING, Placement.Stage.IN_PROVIDER_BATCH);
  }

  @Test
  void shouldSendAnUnreadableRecordToTheDeadLetterTopicAndKeepGoing() {
    world = new DeferredLaneFixture(BatchSettings.DEFAULT, null);
    world.start(world.settings().build());

    world.sendRaw("openai", "junk-1", "{not json".getBytes(StandardCharsets.UTF_8));
    world.sendRaw("openai", "old-1", "{\"schema_version\": 99}".getBytes(StandardCharsets.UTF_8));
    world.send("openai", OPENAI_MODEL, "after.c", "reverse: abc");
    world.awaitResults(1, Duration.ofSeconds(30));

    assertThat(world.results.get("after.c").output()).isEqualTo("cba");
    List<DeadLetter> letters =
        await().atMost(Duration.ofSeconds(20)).until(world::deadLetters, l -> l.size() == 2);
    assertThat(letters).extracting(DeadLetter::key).containsExactlyInAnyOrder("junk-1", "old-1");
    assertThat(letters)
        .extracting(DeadLetter::sourceTopic)
        .containsOnly(world.topics.tasks("openai", Lane.DEFERRED).name());
    assertThat(world.itemsByState().values().stream().mapToLong(Long::longValue).sum())
        .isEqualTo(1);
  }
}
