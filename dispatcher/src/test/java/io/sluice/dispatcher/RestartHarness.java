package io.sluice.dispatcher;

import static io.sluice.dispatcher.JobFixtures.aJob;
import static io.sluice.dispatcher.JobFixtures.aStartFor;
import static io.sluice.dispatcher.JobFixtures.aSuccessFor;
import static org.awaitility.Awaitility.await;

import io.sluice.dispatcher.DispatcherProcess.Mode;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.topic.TopicCatalog;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Measures the time from a dispatcher's restart after a SIGKILL to the first new job's task, with
 * the state of many finished jobs in its stores. It measures, it does not test: tag {@code
 * restart}, excluded by the module's surefire configuration. Run it with:
 *
 * <pre>
 * ./mvnw -B -ntp -pl dispatcher verify -Dtest=RestartHarness -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Ddispatcher.excludedGroups=none [-Dharness.jobs=10000 -Dharness.kills=3 -Dharness.mode=LEGACY]
 * </pre>
 *
 * {@code harness.mode=LEGACY} runs the topology as the dispatcher ran it before (no static
 * membership, entries kept forever), for the "before" figure. Lines starting {@code HARNESS} report
 * each restart: JVM start → Streams RUNNING, and JVM start → first new task committed.
 */
@Tag("restart")
class RestartHarness {
  private static final Logger LOG = LoggerFactory.getLogger(RestartHarness.class);
  private static final Duration TIMEOUT = Duration.ofMinutes(5);

  private final int jobs = Integer.getInteger("harness.jobs", 10_000);
  private final int kills = Integer.getInteger("harness.kills", 3);
  private final Mode mode = Mode.valueOf(System.getProperty("harness.mode", "CURRENT"));

  @TempDir Path stateDir;

  @Test
  void shouldReportTheTimeFromRestartToTheFirstNewTask() throws Exception {
    String bootstrap = TestInfrastructure.kafka().bootstrapServers();
    TopicCatalog topics = new TopicCatalog(TestInfrastructure.uniqueName("restart"));
    Path log = Files.createFile(stateDir.resolve("dispatcher.log"));
    try (var broker = new OnBroker(bootstrap)) {
      var child = DispatcherProcess.start(bootstrap, topics.prefix(), stateDir, mode, log);
      await().atMost(TIMEOUT).until(() -> child.runningLines() == 1);
      long loaded = System.nanoTime();
      runJobsThrough(broker, topics);
      LOG.info(
          "HARNESS mode {}: {} jobs dispatched and finished in {} ms",
          mode,
          jobs,
          TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - loaded));
      child.kill();
      for (int kill = 1; kill <= kills; kill++) {
        measureRestart(broker, topics, log, kill);
      }
    }
  }

  private void runJobsThrough(OnBroker broker, TopicCatalog topics) {
    for (int i = 0; i < jobs; i++) {
      SubmittedJob job = aJob().withId(topics.prefix() + "-" + i).build();
      broker.sendAsync(topics.jobsSubmitted(), job.jobId(), job);
      broker.sendAsync(topics.taskResults(), job.jobId(), aStartFor(job));
      broker.sendAsync(topics.taskResults(), job.jobId(), aSuccessFor(job));
    }
    broker.flush();
    awaitCount(broker.consumer(topics.tasks("openai", Lane.STANDARD)), jobs);
    awaitCount(broker.consumer(topics.jobsEvents()), 2 * jobs);
  }

  private void measureRestart(OnBroker broker, TopicCatalog topics, Path log, int kill) {
    SubmittedJob probe = aJob().withId(topics.prefix() + "-probe-" + kill).build();
    try (KafkaConsumer<String, Task> tasks =
        broker.consumer(topics.tasks("openai", Lane.STANDARD))) {
      tasks.seekToEnd(tasks.assignment());
      tasks.assignment().forEach(tasks::position);
      int runningBefore = DispatcherProcess.runningLines(log);
      long started = System.nanoTime();
      var child = DispatcherProcess.start(bootstrap(), topics.prefix(), stateDir, mode, log);
      broker.send(topics.jobsSubmitted(), probe.jobId(), probe);
      List<Task> seen = new ArrayList<>();
      long[] runningAt = {0};
      await()
          .atMost(TIMEOUT)
          .pollInterval(Duration.ofMillis(10))
          .until(
              () -> {
                if (runningAt[0] == 0 && child.runningLines() > runningBefore) {
                  runningAt[0] = System.nanoTime();
                }
                tasks.poll(Duration.ofMillis(50)).forEach(record -> seen.add(record.value()));
                return seen.stream().anyMatch(task -> task.jobId().equals(probe.jobId()));
              });
      long firstTask = System.nanoTime();
      LOG.info(
          "HARNESS mode {} restart {}: RUNNING after {} ms, first new task after {} ms",
          mode,
          kill,
          runningAt[0] == 0 ? -1 : TimeUnit.NANOSECONDS.toMillis(runningAt[0] - started),
          TimeUnit.NANOSECONDS.toMillis(firstTask - started));
      child.kill();
    }
  }

  private static String bootstrap() {
    return TestInfrastructure.kafka().bootstrapServers();
  }

  private static <V> void awaitCount(KafkaConsumer<String, V> consumer, int count) {
    try (consumer) {
      int[] seen = {0};
      await()
          .atMost(TIMEOUT)
          .until(
              () -> {
                seen[0] += consumer.poll(Duration.ofMillis(200)).count();
                return seen[0] >= count;
              });
    }
  }
}
