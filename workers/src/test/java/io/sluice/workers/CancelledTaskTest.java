package io.sluice.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.embedded.TestInfrastructure;
import io.sluice.providers.pricing.PriceTable;
import io.sluice.schemas.job.JobControl;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.task.TaskResult;
import io.sluice.schemas.topic.TopicCatalog;
import io.sluice.simulator.Simulator;
import io.sluice.workers.testing.LaneTraffic;
import io.sluice.workers.testing.SimulatorProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/**
 * Cancels on {@code jobs.control} reach every pool instance: with two pools (one started after the
 * cancels were published) the tasks of cancelled jobs are dropped without a provider call, each
 * with a {@code cancelled} result; a call already running when its job is cancelled finishes with
 * its cost. On the embedded broker, with the real OpenAI adapter and the simulator.
 */
class CancelledTaskTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final String MODEL = "gpt-4o-mini";
  private static final long HANG_MILLIS = 2_000;

  @Test
  void shouldDropTasksOfCancelledJobsOnEveryInstanceAndLetARunningCallFinish() throws Exception {
    TopicCatalog topics = new TopicCatalog(TestInfrastructure.uniqueName("wcancel"));
    String bootstrap = TestInfrastructure.kafka().bootstrapServers();
    List<Task> cancelled = new ArrayList<>();
    for (int i = 0; i < 6; i++) {
      cancelled.add(Tasks.aTask("openai", Lane.STANDARD, "reverse: cancelled " + i));
    }
    Task kept = Tasks.aTask("openai", Lane.STANDARD, "reverse: kept");
    Task running =
        Tasks.aTask("openai", Lane.STANDARD, "#sim hang=" + HANG_MILLIS + "\nreverse: running");

    try (Simulator simulator = Simulator.start();
        LaneTraffic traffic = new LaneTraffic(bootstrap, topics, "openai");
        var control = controlProducer(bootstrap)) {
      SimulatorProvider provider = new SimulatorProvider(simulator.baseUrl());
      WorkerSettings settings =
          WorkerSettings.builder(bootstrap, topics.prefix(), "openai").concurrency(4).build();
      try (WorkerPool first = start(settings, provider)) {
        for (Task task : cancelled) {
          cancel(control, topics, task);
        }
        await().atMost(WAIT).until(() -> first.stats().cancelledJobsKnown() == 6);
        try (WorkerPool second = start(settings, provider)) {
          await().atMost(WAIT).until(() -> second.stats().cancelledJobsKnown() == 6);
          List<Task> all = new ArrayList<>(cancelled);
          all.add(kept);
          traffic.sendAll(all);
          await().atMost(WAIT).until(() -> traffic.results().size() >= all.size());

          traffic.send(running);
          await()
              .atMost(WAIT)
              .until(() -> simulator.meter().snapshot().total(MODEL).requests() == 2);
          cancel(control, topics, running);
          await().atMost(WAIT).until(() -> traffic.results().size() >= all.size() + 1);
          await()
              .atMost(WAIT)
              .pollInterval(Duration.ofMillis(200))
              .until(
                  () ->
                      first.stats().inFlight() + second.stats().inFlight() == 0
                          && traffic.unacknowledged(settings.groupId()) == 0);

          for (Task task : cancelled) {
            assertThat(resultOf(traffic, task))
                .satisfies(
                    result -> {
                      assertThat(result.outcome()).isEqualTo(TaskOutcome.CANCELLED);
                      assertThat(result.error()).isNull();
                      assertThat(result.attempts()).isZero();
                    });
          }
          assertThat(first.stats().cancelled() + second.stats().cancelled()).isEqualTo(6);
          assertThat(resultOf(traffic, kept).outcome()).isEqualTo(TaskOutcome.SUCCEEDED);
          assertThat(resultOf(traffic, running))
              .satisfies(
                  result -> {
                    assertThat(result.outcome()).isEqualTo(TaskOutcome.SUCCEEDED);
                    assertThat(result.costUsd()).isPositive();
                  });
          assertThat(simulator.meter().snapshot().total(MODEL).requests())
              .as("only the kept task and the running one reached the provider")
              .isEqualTo(2);
          assertThat(traffic.results()).as("one result per task").hasSize(8);
        }
      }
    }
  }

  private static WorkerPool start(WorkerSettings settings, SimulatorProvider provider) {
    return WorkerPool.start(
        settings,
        provider,
        Admission.OPEN,
        CostCalculator.realtimePrices(PriceTable.defaults()),
        Clock.systemUTC());
  }

  private static KafkaProducer<String, byte[]> controlProducer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  private static void cancel(KafkaProducer<String, byte[]> producer, TopicCatalog topics, Task task)
      throws Exception {
    var topic = topics.jobsControl();
    JobControl control = JobControl.cancel(task.jobId(), task.tenantId(), Instant.now());
    producer
        .send(
            new ProducerRecord<>(
                topic.name(),
                task.jobId(),
                topic.valueSerde().serializer().serialize(topic.name(), control)))
        .get();
  }

  private static TaskResult resultOf(LaneTraffic traffic, Task task) {
    return traffic.results().stream()
        .filter(result -> result.taskId().equals(task.taskId()))
        .findFirst()
        .orElseThrow();
  }
}
