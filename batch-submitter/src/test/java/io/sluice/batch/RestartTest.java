package io.sluice.batch;

import static io.sluice.batch.DeferredLaneFixture.ANTHROPIC_MODEL;
import static io.sluice.batch.DeferredLaneFixture.OPENAI_MODEL;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.batch.plan.BatchPhase;
import io.sluice.providers.BatchRequest;
import io.sluice.providers.BatchStatus;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.simulator.BatchSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A new batch-submitter on the same database resumes every batch and never creates a second. */
class RestartTest {
  private DeferredLaneFixture world;

  @AfterEach
  void stop() {
    if (world != null) {
      world.close();
    }
  }

  private void sendSix() {
    for (int i = 0; i < 3; i++) {
      world.send("openai", OPENAI_MODEL, "o" + i + ".c", "reverse: abc" + i);
      world.send("anthropic", ANTHROPIC_MODEL, "a" + i + ".c", "reverse: xyz" + i);
    }
  }

  private void assertSixSucceededThroughOneBatchPerProvider() {
    world.awaitResults(6, Duration.ofSeconds(60));
    for (int i = 0; i < 3; i++) {
      assertThat(world.results.get("o" + i + ".c").output()).isEqualTo(i + "cba");
      assertThat(world.results.get("a" + i + ".c").output()).isEqualTo(i + "zyx");
    }
    assertThat(world.results.values()).allMatch(r -> r.outcome() == TaskOutcome.SUCCEEDED);
    assertThat(world.results.values()).allMatch(r -> r.attempts() == 1);
    assertThat(world.providerBatches("openai")).isEqualTo(1);
    assertThat(world.providerBatches("anthropic")).isEqualTo(1);
    assertThat(world.lineCounts("openai")).containsExactly(3);
    assertThat(world.lineCounts("anthropic")).containsExactly(3);
  }

  @Test
  void shouldResumePollingAfterARestartWithoutCreatingASecondBatch() {
    world =
        new DeferredLaneFixture(
            BatchSettings.DEFAULT.withProcessingTime(Duration.ofSeconds(4)), null);
    BatchSubmitter first = world.start(world.settings().linger(Duration.ofSeconds(1)).build());
    sendSix();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> world.batchesByPhase().get(BatchPhase.SUBMITTED) == 2);
    first.close();
    assertThat(world.results).isEmpty();

    world.start(world.settings().linger(Duration.ofSeconds(1)).build());

    assertSixSucceededThroughOneBatchPerProvider();
  }

  @Test
  void shouldAdoptTheBatchCreatedJustBeforeACrashInsteadOfCreatingAnother() {
    world = new DeferredLaneFixture(BatchSettings.DEFAULT, null);
    BatchSubmitter crashing =
        world.start(
            world
                .settings()
                .linger(Duration.ofSeconds(1))
                .reconcileGrace(Duration.ofHours(1))
                .batchProviders(
                    DeferredLaneFixture.adapters(
                        provider ->
                            new ForwardingBatchProvider(provider) {
                              @Override
                              public BatchStatus submit(
                                  List<BatchRequest> requests, Map<String, String> metadata) {
                                delegate.submit(requests, metadata);
                                throw new IllegalStateException("simulated crash after create");
                              }
                            }))
                .build());
    sendSix();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> world.batchesByPhase().get(BatchPhase.SUBMITTING) == 2);
    crashing.close();
    assertThat(world.providerBatches("openai")).isEqualTo(1);
    assertThat(world.providerBatches("anthropic")).isEqualTo(1);

    world.start(world.settings().linger(Duration.ofSeconds(1)).build());

    assertSixSucceededThroughOneBatchPerProvider();
  }
}
