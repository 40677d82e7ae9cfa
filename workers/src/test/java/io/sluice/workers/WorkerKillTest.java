package io.sluice.workers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.embedded.TestInfrastructure;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.topic.TopicCatalog;
import io.sluice.simulator.Simulator;
import io.sluice.workers.testing.LaneTraffic;
import io.sluice.workers.testing.SimulatorProvider;
import io.sluice.workers.testing.WorkerMain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class WorkerKillTest {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerKillTest.class);

  private static final long HANG_MILLIS = 5_000;
  private static final String MODEL = "gpt-4o-mini";

  @Test
  void shouldRedeliverATaskWhoseWorkerWasKilledMidCall() throws Exception {
    String bootstrap = TestInfrastructure.kafka().bootstrapServers();
    TopicCatalog topics = new TopicCatalog(TestInfrastructure.uniqueName("kill"));
    try (Simulator simulator = Simulator.start();
        LaneTraffic traffic = new LaneTraffic(bootstrap, topics, "openai")) {
      Task task =
          Tasks.aTask(
              "openai", Lane.STANDARD, "#sim hang=" + HANG_MILLIS + "\nreverse: survive the kill");
      traffic.send(task);

      Process child = startChildWorker(bootstrap, topics.prefix(), simulator);
      List<String> childOutput = new CopyOnWriteArrayList<>();
      Thread.ofVirtual().start(() -> collect(child, childOutput));
      AtomicLong notYetAtProvider = new AtomicLong(System.nanoTime());
      long killedAt;
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(20))
            .until(() -> callReachedTheProvider(simulator, notYetAtProvider));
      } finally {
        child.destroyForcibly();
        killedAt = System.nanoTime();
      }
      assertThat(child.waitFor()).isNotZero();
      long sinceArrivalAtMost = Duration.ofNanos(killedAt - notYetAtProvider.get()).toMillis();
      LOG.info(
          "MEASURED: the call reached the provider at most {} ms before kill -9 (it answers after"
              + " {} ms)",
          sinceArrivalAtMost,
          HANG_MILLIS);
      assertThat(childOutput).contains(WorkerMain.CALLING);
      assertThat(sinceArrivalAtMost)
          .as("killed while the provider still held the call (it answers after the hang)")
          .isLessThan(HANG_MILLIS);
      assertThat(simulator.meter().snapshot().total(MODEL).requests()).isEqualTo(1);
      assertThat(traffic.results()).isEmpty();

      WorkerSettings settings = WorkerMain.settings(bootstrap, topics.prefix());
      try (WorkerPool survivor =
          WorkerPool.start(settings, new SimulatorProvider(simulator.baseUrl()))) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !traffic.results().isEmpty());
        LOG.info(
            "MEASURED: result of the killed worker's task arrived {} ms after kill -9",
            Duration.ofNanos(System.nanoTime() - killedAt).toMillis());
        await()
            .atMost(Duration.ofSeconds(60))
            .pollInterval(Duration.ofMillis(200))
            .until(
                () ->
                    survivor.stats().inFlight() == 0
                        && traffic.unacknowledged(settings.groupId()) == 0);
        assertThat(traffic.results())
            .singleElement()
            .satisfies(
                result -> {
                  assertThat(result.taskId()).isEqualTo(task.taskId());
                  assertThat(result.outcome()).isEqualTo(TaskOutcome.SUCCEEDED);
                  assertThat(result.output()).isEqualTo("llik eht evivrus");
                  assertThat(result.attempts()).isEqualTo(1);
                });
        assertThat(survivor.stats().succeeded()).isEqualTo(1);
        assertThat(simulator.meter().snapshot().total(MODEL).requests())
            .as("the killed call and the one after redelivery")
            .isEqualTo(2);
      }
    }
  }

  /**
   * Whether the simulator accepted the call (it counts a call when it admits it, then holds the
   * answer for the hang); until then, remembers the last instant it had not.
   */
  private static boolean callReachedTheProvider(Simulator simulator, AtomicLong notYet) {
    long before = System.nanoTime();
    if (simulator.meter().snapshot().total(MODEL).requests() > 0) {
      return true;
    }
    notYet.set(before);
    return false;
  }

  private static Process startChildWorker(String bootstrap, String prefix, Simulator simulator)
      throws Exception {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    return new ProcessBuilder(
            java,
            "-cp",
            System.getProperty("java.class.path"),
            WorkerMain.class.getName(),
            bootstrap,
            prefix,
            simulator.baseUrl().toString())
        .redirectErrorStream(true)
        .start();
  }

  private static void collect(Process child, List<String> lines) {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        lines.add(line);
      }
    } catch (java.io.IOException e) {
      lines.add("output closed: " + e);
    }
  }
}
