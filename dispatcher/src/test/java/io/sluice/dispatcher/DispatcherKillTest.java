package io.sluice.dispatcher;

import static io.sluice.dispatcher.JobFixtures.aJob;
import static io.sluice.dispatcher.JobFixtures.aSuccessFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.dispatcher.DispatcherProcess.Mode;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.topic.TopicCatalog;
import io.sluice.schemas.topic.TopicProvisioner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A dispatcher process SIGKILLed again and again at random moments of its start and restore comes
 * back by itself every time: no start fails, no job is lost or dispatched twice.
 */
class DispatcherKillTest {
  private static final Logger LOG = LoggerFactory.getLogger(DispatcherKillTest.class);
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final int KILLS = 6;
  private static final int JOBS_BETWEEN_KILLS = 300;
  private static final int MAX_KILL_DELAY_MS = 4_000;

  @TempDir Path stateDir;

  @Test
  void shouldComeBackByItselfAfterEachSigkillDuringStartAndRestore() throws IOException {
    String bootstrap = TestInfrastructure.kafka().bootstrapServers();
    TopicCatalog topics = new TopicCatalog(TestInfrastructure.uniqueName("kill"));
    Path log = Files.createFile(stateDir.resolve("dispatcher.log"));
    long seed = System.nanoTime();
    Random random = new Random(seed);
    LOG.info("Killing at random moments, seed {}", seed);
    List<String> jobIds = new ArrayList<>();

    // The child creates its topics too, but it is killed at random moments: the test's producer
    // must not race a topic being made (CI: sending to jobs.submitted before it existed, then to a
    // partition whose leader was not known yet, left the idempotent producer retrying an
    // out-of-order sequence until the wait ran out).
    DispatcherSettings settings = DispatcherProcess.settings(bootstrap, topics.prefix(), stateDir);
    Dispatcher.provisionTopics(settings);
    new TopicProvisioner(bootstrap, settings.partitions(), settings.replicationFactor())
        .ensureCoPartitioned(topics.jobsSubmitted().name(), topics.taskResults().name());

    try (var broker = new OnBroker(bootstrap)) {
      for (int kill = 0; kill < KILLS; kill++) {
        var child =
            DispatcherProcess.start(bootstrap, topics.prefix(), stateDir, Mode.CURRENT, log);
        jobIds.addAll(submitFinishedJobs(broker, topics, kill));
        int delay = 1 + random.nextInt(MAX_KILL_DELAY_MS);
        // A start that fails (as with a store RocksDB cannot open) exits the child.
        await()
            .during(Duration.ofMillis(delay))
            .atMost(Duration.ofMillis(delay + 1_000))
            .until(child::isAlive);
        child.kill();
      }

      try (var child =
          DispatcherProcess.start(bootstrap, topics.prefix(), stateDir, Mode.CURRENT, log)) {
        List<Task> tasks =
            broker.awaitAtLeast(topics.tasks("openai", Lane.STANDARD), jobIds.size(), TIMEOUT);
        List<JobEvent> events = broker.awaitAtLeast(topics.jobsEvents(), jobIds.size(), TIMEOUT);

        assertThat(tasks).extracting(Task::jobId).containsExactlyInAnyOrderElementsOf(jobIds);
        assertThat(events).extracting(JobEvent::jobId).containsExactlyInAnyOrderElementsOf(jobIds);
        assertThat(child.isAlive()).isTrue();
      }
    }
  }

  /** Jobs, each sent twice (the outbox's redelivery), and their results, also twice. */
  private static List<String> submitFinishedJobs(OnBroker broker, TopicCatalog topics, int round) {
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < JOBS_BETWEEN_KILLS; i++) {
      SubmittedJob job = aJob().withId(topics.prefix() + "-" + round + "-" + i).build();
      for (int copy = 0; copy < 2; copy++) {
        broker.sendAsync(topics.jobsSubmitted(), job.jobId(), job);
        broker.sendAsync(topics.taskResults(), job.jobId(), aSuccessFor(job));
      }
      ids.add(job.jobId());
    }
    broker.flush();
    return ids;
  }
}
