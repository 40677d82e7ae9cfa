package io.sluice.batch;

import static io.sluice.batch.DeferredLaneFixture.ANTHROPIC_MODEL;
import static io.sluice.batch.DeferredLaneFixture.OPENAI_MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.batch.plan.BatchPhase;
import io.sluice.batch.plan.ItemState;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.simulator.BatchSettings;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The batch-submitter in a child JVM, killed without warning: right after the provider created a
 * batch and before its ID was recorded, and while polling. The next instance on the same database
 * finishes every task and the simulator holds exactly one batch per provider.
 */
class KillTest {
  private DeferredLaneFixture world;
  private Process child;
  private final String groupId = TestInfrastructure.uniqueName("bsk");

  @AfterEach
  void stop() {
    if (child != null) {
      child.destroyForcibly();
    }
    if (world != null) {
      world.close();
    }
  }

  private Process startChild(String mode, String logName) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command =
        List.of(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            SubmitterProcess.class.getName(),
            DeferredLaneFixture.bootstrap(),
            world.topics.prefix(),
            groupId,
            world.database.jdbcUrl(),
            world.database.username(),
            world.database.password(),
            world.simulator.baseUrl().toString(),
            mode);
    File log = Path.of("target", logName + "-" + groupId + ".log").toFile();
    return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log).start();
  }

  private void sendSix() {
    for (int i = 0; i < 3; i++) {
      world.send("openai", OPENAI_MODEL, "o" + i + ".c", "reverse: abc" + i);
      world.send("anthropic", ANTHROPIC_MODEL, "a" + i + ".c", "reverse: xyz" + i);
    }
  }

  private void restartAndAssertEveryTaskSucceededThroughOneBatchPerProvider() {
    world.start(world.settings().groupId(groupId).build());
    world.awaitResults(6, Duration.ofSeconds(60));
    for (int i = 0; i < 3; i++) {
      assertThat(world.results.get("o" + i + ".c").output()).isEqualTo(i + "cba");
      assertThat(world.results.get("a" + i + ".c").output()).isEqualTo(i + "zyx");
    }
    assertThat(world.results.values()).allMatch(r -> r.outcome() == TaskOutcome.SUCCEEDED);
    assertThat(world.providerBatches("openai")).isEqualTo(1);
    assertThat(world.providerBatches("anthropic")).isEqualTo(1);
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> world.itemsByState().get(ItemState.PUBLISHED) == 6);
  }

  @Test
  void shouldLoseNoItemAndCreateNoSecondBatchWhenKilledBetweenCreateAndRecord() throws Exception {
    world = new DeferredLaneFixture(BatchSettings.DEFAULT, null);
    child = startChild("halt-after-create", "kill-after-create");
    await().atMost(Duration.ofSeconds(60)).until(() -> tablesExist());
    sendSix();

    assertThat(child.waitFor()).isEqualTo(137);
    assertThat(world.batchesByPhase().get(BatchPhase.SUBMITTING)).isEqualTo(1);
    assertThat(world.providerBatches("openai") + world.providerBatches("anthropic")).isEqualTo(1);

    restartAndAssertEveryTaskSucceededThroughOneBatchPerProvider();
  }

  @Test
  void shouldResumePollingWhenKilledWhilePolling() throws Exception {
    world =
        new DeferredLaneFixture(
            BatchSettings.DEFAULT.withProcessingTime(Duration.ofSeconds(4)), null);
    child = startChild("run", "kill-while-polling");
    await().atMost(Duration.ofSeconds(60)).until(() -> tablesExist());
    sendSix();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> world.batchesByPhase().get(BatchPhase.SUBMITTED) == 2);

    child.destroyForcibly().waitFor();
    assertThat(world.results).isEmpty();

    restartAndAssertEveryTaskSucceededThroughOneBatchPerProvider();
  }

  private boolean tablesExist() {
    try {
      world.batchesByPhase();
      return true;
    } catch (RuntimeException e) {
      return false;
    }
  }
}
