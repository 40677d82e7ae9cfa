package io.sluice.dispatcher;

import static io.sluice.dispatcher.MapReduceFixtures.chunks;
import static io.sluice.dispatcher.MapReduceFixtures.expectedTotal;
import static io.sluice.dispatcher.MapReduceFixtures.records;
import static io.sluice.dispatcher.MapReduceFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.dispatcher.DispatcherProcess.Mode;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
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
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A dispatcher child process SIGKILLed in the middle of the map phase and again during the reduce,
 * on the real broker: every job ends with exactly one final answer, the independent total, and no
 * map or reduce task is published twice (the test's worker answers each task it reads once, as a
 * worker does, and sees each task ID once).
 */
class MapReduceKillTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(90);
  private static final int JOBS = 4;
  private static final int CHUNKS = 40;

  @TempDir Path stateDir;

  @Test
  void shouldGiveExactlyOneFinalAnswerPerJobAfterSigkillsDuringMapAndReduce() throws IOException {
    String bootstrap = TestInfrastructure.kafka().bootstrapServers();
    TopicCatalog topics = new TopicCatalog(TestInfrastructure.uniqueName("mrkill"));
    Path log = Files.createFile(stateDir.resolve("dispatcher.log"));
    DispatcherSettings settings = DispatcherProcess.settings(bootstrap, topics.prefix(), stateDir);
    Dispatcher.provisionTopics(settings);
    new TopicProvisioner(bootstrap, settings.partitions(), settings.replicationFactor())
        .ensureCoPartitioned(topics.jobsSubmitted().name(), topics.taskResults().name());
    List<String> chunks = chunks(CHUNKS);

    try (var broker = new OnBroker(bootstrap);
        KafkaConsumer<String, Task> queue = broker.consumer(topics.tasks("openai", Lane.STANDARD));
        KafkaConsumer<String, JobEvent> events = broker.consumer(topics.jobsEvents())) {
      List<Task> seen = new ArrayList<>();
      var child = DispatcherProcess.start(bootstrap, topics.prefix(), stateDir, Mode.CURRENT, log);
      for (int job = 0; job < JOBS; job++) {
        for (SubmittedJob record : records("job-" + job, chunks, spec(CHUNKS, null, 8))) {
          for (int copy = 0; copy < 2; copy++) { // the outbox publishes at least once
            broker.sendAsync(topics.jobsSubmitted(), record.jobId(), record);
          }
        }
      }
      broker.flush();

      List<Task> maps = awaitTasks(queue, seen, JOBS * CHUNKS, t -> true);
      answer(broker, topics, maps.subList(0, maps.size() / 2));
      child.kill(); // in the middle of the map phase: half of the map results are on their way

      child = DispatcherProcess.start(bootstrap, topics.prefix(), stateDir, Mode.CURRENT, log);
      answer(broker, topics, maps.subList(maps.size() / 2, maps.size()));
      List<Task> firstReduces = awaitTasks(queue, seen, 1, MapReduceKillTest::isReduce);
      answer(broker, topics, firstReduces);
      child.kill(); // during the reduce

      try (var last =
          DispatcherProcess.start(bootstrap, topics.prefix(), stateDir, Mode.CURRENT, log)) {
        Map<String, List<JobEvent>> ends = new HashMap<>();
        await()
            .atMost(TIMEOUT)
            .until(
                () -> {
                  answer(broker, topics, poll(queue, seen));
                  events.poll(Duration.ofMillis(100)).forEach(r -> collectEnd(ends, r.value()));
                  return ends.size() == JOBS;
                });
        events.poll(Duration.ofMillis(500)).forEach(r -> collectEnd(ends, r.value()));
        poll(queue, seen);

        for (List<JobEvent> end : ends.values()) {
          assertThat(end).as("final answers of %s", end.getFirst().jobId()).hasSize(1);
          assertThat(end.getFirst().status()).isEqualTo(JobStatus.SUCCEEDED);
          assertThat(end.getFirst().output()).isEqualTo(Integer.toString(expectedTotal(chunks)));
        }
        Map<String, Long> published =
            seen.stream().collect(Collectors.groupingBy(Task::taskId, Collectors.counting()));
        assertThat(published.values()).as("publications of each task").containsOnly(1L);
        assertThat(published.keySet().stream().filter(id -> id.contains(".m")))
            .hasSize(JOBS * CHUNKS);
      }
    }
  }

  private static boolean isReduce(Task task) {
    return task.taskId().contains(".r");
  }

  private static void collectEnd(Map<String, List<JobEvent>> ends, JobEvent event) {
    if (event.status().isTerminal()) {
      ends.computeIfAbsent(event.jobId(), id -> new ArrayList<>()).add(event);
    }
  }

  /** Reads the task queue until {@code count} new tasks match, and returns the new ones. */
  private static List<Task> awaitTasks(
      KafkaConsumer<String, Task> queue, List<Task> seen, int count, Predicate<Task> matching) {
    List<Task> fresh = new ArrayList<>();
    await()
        .atMost(TIMEOUT)
        .until(
            () -> {
              fresh.addAll(poll(queue, seen));
              return fresh.stream().filter(matching).count() >= count;
            });
    return fresh;
  }

  private static List<Task> poll(KafkaConsumer<String, Task> queue, List<Task> seen) {
    List<Task> fresh = new ArrayList<>();
    queue.poll(Duration.ofMillis(100)).forEach(record -> fresh.add(record.value()));
    seen.addAll(fresh);
    return fresh;
  }

  private static void answer(OnBroker broker, TopicCatalog topics, List<Task> tasks) {
    for (Task task : tasks) {
      broker.sendAsync(topics.taskResults(), task.jobId(), MapReduceFixtures.answer(task));
    }
    broker.flush();
  }
}
