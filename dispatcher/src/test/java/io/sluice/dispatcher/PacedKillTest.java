package io.sluice.dispatcher;

import static io.sluice.dispatcher.JobFixtures.aJob;
import static io.sluice.dispatcher.JobFixtures.aSuccessFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.dispatcher.DispatcherProcess.Mode;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.Priority;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pacing survives SIGKILLs: a paced dispatcher (window 4 per partition, 2 partitions) is killed
 * while the test, acting as the workers, answers each released task; after the restarts every job
 * ends exactly once, no task is released twice, and the lane never holds more than the window of
 * unanswered tasks.
 */
class PacedKillTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final int JOBS = 120;
  private static final int KILLS = 3;

  @TempDir Path stateDir;

  @Test
  void shouldReleaseEachPacedTaskOnceAndEndEachJobOnceAcrossSigkills() throws IOException {
    String bootstrap = TestInfrastructure.kafka().bootstrapServers();
    TopicCatalog topics = new TopicCatalog(TestInfrastructure.uniqueName("pacedkill"));
    Path log = Files.createFile(stateDir.resolve("dispatcher.log"));
    DispatcherSettings settings =
        DispatcherProcess.pacedSettings(
            bootstrap, topics.prefix(), stateDir, DispatcherProcess.PACED_WINDOW);
    Dispatcher.provisionTopics(settings);
    new TopicProvisioner(bootstrap, settings.partitions(), settings.replicationFactor())
        .ensureCoPartitioned(topics.jobsSubmitted().name(), topics.taskResults().name());
    int maxInFlight = DispatcherProcess.PACED_WINDOW * settings.partitions();

    try (var broker = new OnBroker(bootstrap);
        KafkaConsumer<String, Task> queue = broker.consumer(topics.tasks("openai", Lane.BULK));
        KafkaConsumer<String, JobEvent> events = broker.consumer(topics.jobsEvents())) {
      Map<String, SubmittedJob> jobs = new HashMap<>();
      for (int i = 0; i < JOBS; i++) {
        SubmittedJob job =
            aJob()
                .withId(topics.prefix() + "-" + i)
                .withTenant(i % 3 == 0 ? "tenant-b" : "tenant-a")
                .withPriority(Priority.BULK)
                .build();
        jobs.put(job.jobId(), job);
        broker.sendAsync(topics.jobsSubmitted(), job.jobId(), job);
      }
      broker.flush();
      List<Task> released = new ArrayList<>();
      Map<String, List<JobEvent>> ends = new HashMap<>();
      Set<String> answered = new HashSet<>();
      int mostUnanswered = 0;

      for (int kill = 0; kill <= KILLS; kill++) {
        var child = DispatcherProcess.start(bootstrap, topics.prefix(), stateDir, Mode.PACED, log);
        int target = kill == KILLS ? JOBS : (kill + 1) * JOBS / (KILLS + 2);
        int[] most = {mostUnanswered};
        await()
            .atMost(TIMEOUT)
            .until(
                () -> {
                  queue.poll(Duration.ofMillis(100)).forEach(r -> released.add(r.value()));
                  most[0] = Math.max(most[0], released.size() - answered.size());
                  for (Task task : released) {
                    if (answered.add(task.taskId())) {
                      broker.sendAsync(
                          topics.taskResults(), task.jobId(), aSuccessFor(jobs.get(task.jobId())));
                    }
                  }
                  broker.flush();
                  events.poll(Duration.ofMillis(50)).forEach(r -> collectEnd(ends, r.value()));
                  return ends.size() >= target;
                });
        mostUnanswered = most[0];
        if (kill < KILLS) {
          child.kill();
        } else {
          events.poll(Duration.ofMillis(500)).forEach(r -> collectEnd(ends, r.value()));
          queue.poll(Duration.ofMillis(500)).forEach(r -> released.add(r.value()));
          child.close();
        }
      }

      Map<String, Long> releases =
          released.stream().collect(Collectors.groupingBy(Task::taskId, Collectors.counting()));
      assertThat(releases).hasSize(JOBS);
      assertThat(releases.values()).as("releases of each task").containsOnly(1L);
      assertThat(ends).hasSize(JOBS);
      assertThat(ends.values()).allSatisfy(end -> assertThat(end).hasSize(1));
      assertThat(mostUnanswered)
          .as("tasks released and not answered")
          .isLessThanOrEqualTo(maxInFlight);
    }
  }

  private static void collectEnd(Map<String, List<JobEvent>> ends, JobEvent event) {
    if (event.status().isTerminal()) {
      ends.computeIfAbsent(event.jobId(), id -> new ArrayList<>()).add(event);
    }
  }
}
