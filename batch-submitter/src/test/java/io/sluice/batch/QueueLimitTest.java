package io.sluice.batch;

import static io.sluice.batch.DeferredLaneFixture.OPENAI_MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.batch.plan.BatchPhase;
import io.sluice.batch.plan.QueueLimitPolicy;
import io.sluice.providers.BatchProvider;
import io.sluice.providers.BatchRequest;
import io.sluice.providers.BatchState;
import io.sluice.providers.BatchStatus;
import io.sluice.providers.ProviderException;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.task.TaskResult;
import io.sluice.simulator.BatchSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Provider batch queue limits on real Kafka, PostgreSQL and the simulator: Sluice never enqueues
 * past its own count, and a refusal for room gives the items back without using their attempts.
 */
class QueueLimitTest {
  private static final long TOKENS_PER_TASK = 1_000;
  private static final long TOKEN_LIMIT = 3_000;

  private DeferredLaneFixture world;
  private final AtomicBoolean sampling = new AtomicBoolean(true);
  private Thread sampler;

  @AfterEach
  void stop() throws InterruptedException {
    sampling.set(false);
    if (sampler != null) {
      sampler.join(2_000);
    }
    if (world != null) {
      world.close();
    }
  }

  @Test
  void shouldNeverHaveMoreThanTheModelsTokenLimitEnqueuedAtTheProviderAndStillFinishEveryTask() {
    world = new DeferredLaneFixture(BatchSettings.DEFAULT, null);
    world.start(
        world
            .settings()
            .linger(Duration.ofMillis(300))
            .queueLimits("openai.tokens." + OPENAI_MODEL + "=" + TOKEN_LIMIT)
            .build());
    AtomicInteger mostLinesEnqueued = new AtomicInteger();
    sampler =
        Thread.ofPlatform()
            .daemon()
            .start(
                () -> {
                  while (sampling.get()) {
                    int lines = world.unfinishedOpenAiBatchSizes().stream().mapToInt(i -> i).sum();
                    mostLinesEnqueued.accumulateAndGet(lines, Math::max);
                    LockSupport.parkNanos(20_000_000);
                  }
                });

    for (int i = 0; i < 10; i++) {
      world.send("openai", OPENAI_MODEL, "q" + i + ".c", "reverse: q" + i, TOKENS_PER_TASK, null);
    }
    world.send("openai", OPENAI_MODEL, "huge.c", "reverse: huge", TOKEN_LIMIT + 1, null);
    world.awaitResults(11, Duration.ofSeconds(90));

    for (int i = 0; i < 10; i++) {
      TaskResult result = world.results.get("q" + i + ".c");
      assertThat(result.outcome()).isEqualTo(TaskOutcome.SUCCEEDED);
      assertThat(result.output()).isEqualTo(new StringBuilder("q" + i).reverse().toString());
      assertThat(result.attempts()).isEqualTo(1);
    }
    TaskResult huge = world.results.get("huge.c");
    assertThat(huge.outcome()).isEqualTo(TaskOutcome.FAILED);
    assertThat(huge.error().code()).isEqualTo(QueueLimitPolicy.TOO_LARGE_FOR_QUEUE);
    assertThat(mostLinesEnqueued.get() * TOKENS_PER_TASK)
        .isPositive()
        .isLessThanOrEqualTo(TOKEN_LIMIT);
    List<Integer> lineCounts = world.lineCounts("openai");
    assertThat(lineCounts).allMatch(lines -> lines * TOKENS_PER_TASK <= TOKEN_LIMIT);
    assertThat(lineCounts.stream().mapToInt(i -> i).sum()).isEqualTo(10);
    assertThat(world.providerBatches("openai")).isEqualTo(lineCounts.size());
  }

  @Test
  void shouldGiveTheAttemptBackAndBackOffWhenTheProviderRefusesToCreateABatch() {
    world = new DeferredLaneFixture(BatchSettings.DEFAULT, null);
    AtomicInteger refusals = new AtomicInteger();
    world.start(
        world
            .settings()
            .maxAttempts(1)
            .linger(Duration.ofMillis(300))
            .refusalBackoff(Duration.ofMillis(500))
            .batchProviders(DeferredLaneFixture.adapters(p -> refuseFirstCreate(p, refusals)))
            .build());

    world.send("openai", OPENAI_MODEL, "r1.c", "reverse: r1");
    world.send("openai", OPENAI_MODEL, "r2.c", "reverse: r2");
    world.awaitResults(2, Duration.ofSeconds(60));

    assertThat(refusals.get()).isEqualTo(1);
    for (String taskId : List.of("r1.c", "r2.c")) {
      TaskResult result = world.results.get(taskId);
      assertThat(result.outcome()).isEqualTo(TaskOutcome.SUCCEEDED);
      assertThat(result.attempts()).isEqualTo(1);
      assertThat(world.placements(taskId))
          .extracting(Placement::stage)
          .containsExactly(
              Placement.Stage.PENDING, Placement.Stage.PENDING, Placement.Stage.IN_PROVIDER_BATCH);
    }
    assertThat(world.batchesByPhase().get(BatchPhase.FAILED)).isEqualTo(1);
    assertThat(world.providerBatches("openai")).isEqualTo(1);
  }

  @Test
  void shouldGiveTheAttemptsBackWhenTheProviderFailsABatchForItsTokenLimit() {
    world = new DeferredLaneFixture(BatchSettings.DEFAULT, null);
    Set<String> failed = ConcurrentHashMap.newKeySet();
    world.start(
        world
            .settings()
            .maxAttempts(1)
            .linger(Duration.ofMillis(300))
            .refusalBackoff(Duration.ofMillis(500))
            .batchProviders(DeferredLaneFixture.adapters(p -> failFirstForTokenLimit(p, failed)))
            .build());

    world.send("openai", OPENAI_MODEL, "t1.c", "reverse: t1");
    world.awaitResults(1, Duration.ofSeconds(60));

    TaskResult result = world.results.get("t1.c");
    assertThat(result.outcome()).isEqualTo(TaskOutcome.SUCCEEDED);
    assertThat(result.attempts()).isEqualTo(1);
    List<Placement> placements = world.placements("t1.c");
    assertThat(placements)
        .extracting(Placement::stage)
        .containsExactly(
            Placement.Stage.PENDING,
            Placement.Stage.IN_PROVIDER_BATCH,
            Placement.Stage.RESUBMITTED,
            Placement.Stage.IN_PROVIDER_BATCH);
    assertThat(placements).extracting(Placement::attempt).containsOnly(1);
    assertThat(placements.get(1).providerBatchId()).isIn(failed);
    assertThat(placements.get(3).providerBatchId()).isNotIn(failed);
    assertThat(world.lineCounts("openai")).containsExactly(1, 1);
  }

  /** The first create call is answered with a 429, as when the provider's queue is full. */
  private static BatchProvider refuseFirstCreate(BatchProvider provider, AtomicInteger refusals) {
    return new ForwardingBatchProvider(provider) {
      @Override
      public BatchStatus submit(List<BatchRequest> requests, Map<String, String> metadata) {
        if (refusals.compareAndSet(0, 1)) {
          throw ProviderException.retriable(
              "openai", 429, "rate_limit_exceeded", "too many batches", null, null, null);
        }
        return delegate.submit(requests, metadata);
      }
    };
  }

  /** The first batch fails in validation with {@code token_limit_exceeded}. */
  private static BatchProvider failFirstForTokenLimit(BatchProvider provider, Set<String> failed) {
    return new ForwardingBatchProvider(provider) {
      @Override
      public BatchStatus submit(List<BatchRequest> requests, Map<String, String> metadata) {
        BatchStatus status = delegate.submit(requests, metadata);
        if (failed.isEmpty()) {
          failed.add(status.batchId());
        }
        return status;
      }

      @Override
      public BatchStatus status(String batchId) {
        BatchStatus status = delegate.status(batchId);
        if (!failed.contains(batchId)) {
          return status;
        }
        return new BatchStatus(
            batchId,
            BatchState.FAILED,
            "failed",
            status.counts(),
            status.createdAt(),
            status.expiresAt(),
            QueueLimitPolicy.TOKEN_LIMIT_EXCEEDED,
            "Enqueued token limit reached for " + OPENAI_MODEL,
            status.metadata());
      }
    };
  }
}
