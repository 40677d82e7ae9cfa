package io.sluice.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.embedded.TestInfrastructure;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.task.TaskResult;
import io.sluice.schemas.topic.TopicCatalog;
import io.sluice.simulator.Simulator;
import io.sluice.workers.testing.LaneTraffic;
import io.sluice.workers.testing.SimulatorProvider;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A task whose job's deadline has passed is never sent to the provider: the pool publishes its
 * expired result instead. On the embedded broker, with the real OpenAI adapter and the simulator.
 */
class ExpiredTaskTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String MODEL = "gpt-4o-mini";

  @Test
  void shouldPublishExpiredWithoutCallingTheProviderAndRunATaskWhoseDeadlineIsAhead()
      throws Exception {
    TopicCatalog topics = new TopicCatalog(TestInfrastructure.uniqueName("wexp"));
    String bootstrap = TestInfrastructure.kafka().bootstrapServers();
    Instant now = Instant.now();
    Task late =
        Tasks.withDeadline(
            Tasks.aTask("openai", Lane.STANDARD, "reverse: too late"), now.minusSeconds(60));
    Task due =
        Tasks.withDeadline(
            Tasks.aTask("openai", Lane.STANDARD, "reverse: in time"), now.plusSeconds(3_600));

    try (Simulator simulator = Simulator.start();
        LaneTraffic traffic = new LaneTraffic(bootstrap, topics, "openai")) {
      traffic.sendAll(List.of(late, due));
      SimulatorProvider provider = new SimulatorProvider(simulator.baseUrl());
      WorkerSettings settings =
          WorkerSettings.builder(bootstrap, topics.prefix(), "openai")
              .concurrency(2)
              .consumersPerLane(2)
              .build();
      try (WorkerPool pool = WorkerPool.start(settings, provider)) {
        await().atMost(WAIT).until(() -> traffic.results().size() >= 2);
        await()
            .atMost(WAIT)
            .pollInterval(Duration.ofMillis(200))
            .until(
                () ->
                    pool.stats().inFlight() == 0
                        && traffic.unacknowledged(settings.groupId()) == 0);

        assertThat(resultOf(traffic, late))
            .satisfies(
                result -> {
                  assertThat(result.outcome()).isEqualTo(TaskOutcome.EXPIRED);
                  assertThat(result.error().code()).isEqualTo("deadline_exceeded");
                  assertThat(result.attempts()).isZero();
                  assertThat(result.startedAt()).isNull();
                  assertThat(result.output()).isNull();
                });
        assertThat(resultOf(traffic, due))
            .satisfies(
                result -> {
                  assertThat(result.outcome()).isEqualTo(TaskOutcome.SUCCEEDED);
                  assertThat(result.output()).isEqualTo("emit ni");
                });
        assertThat(traffic.results()).as("one result per task").hasSize(2);
        assertThat(traffic.starts())
            .as("only the task that ran is announced")
            .extracting(TaskResult::taskId)
            .containsExactly(due.taskId());
        assertThat(simulator.meter().snapshot().total(MODEL).requests())
            .as("the simulator saw only the task whose deadline is ahead")
            .isEqualTo(1);
        assertThat(provider.calls()).isEqualTo(1);
      }
    }
  }

  private static TaskResult resultOf(LaneTraffic traffic, Task task) {
    return traffic.results().stream()
        .filter(result -> result.taskId().equals(task.taskId()))
        .findFirst()
        .orElseThrow();
  }
}
