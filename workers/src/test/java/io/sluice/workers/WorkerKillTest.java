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
import io.sluice.workers.testing.WorkerMain;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

class WorkerKillTest {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerKillTest.class);

  @Test
  void shouldRedeliverATaskWhoseWorkerWasKilledMidCall() throws Exception {
    String bootstrap = TestInfrastructure.kafka().bootstrapServers();
    TopicCatalog topics = new TopicCatalog(TestInfrastructure.uniqueName("kill"));
    try (Simulator simulator = Simulator.start();
        LaneTraffic traffic = new LaneTraffic(bootstrap, topics, "openai")) {
      Task task = Tasks.aTask("openai", Lane.STANDARD, "#sim hang=3000\nreverse: survive the kill");
      traffic.send(task);

      Process child = startChildWorker(bootstrap, topics.prefix(), simulator);
      List<String> childOutput = new CopyOnWriteArrayList<>();
      Thread.ofVirtual().start(() -> collect(child, childOutput));
      try {
        await()
            .atMost(Duration.ofSeconds(60))
            .until(() -> childOutput.contains(WorkerMain.CALLING));
      } finally {
        child.destroyForcibly();
      }
      assertThat(child.waitFor()).isNotZero();
      long killedAt = System.nanoTime();
      assertThat(traffic.results()).isEmpty();

      try (WorkerPool survivor =
          WorkerPool.start(
              WorkerMain.settings(bootstrap, topics.prefix()),
              new SimulatorProvider(simulator.baseUrl()))) {
        await().atMost(Duration.ofSeconds(60)).until(() -> !traffic.results().isEmpty());
        LOG.info(
            "MEASURED: result of the killed worker's task arrived {} ms after kill -9",
            Duration.ofNanos(System.nanoTime() - killedAt).toMillis());
        TaskResult result = traffic.results().getFirst();
        assertThat(result.taskId()).isEqualTo(task.taskId());
        assertThat(result.outcome()).isEqualTo(TaskOutcome.SUCCEEDED);
        assertThat(result.output()).isEqualTo("llik eht evivrus");
        assertThat(survivor.stats().succeeded()).isEqualTo(1);
      }
    }
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
