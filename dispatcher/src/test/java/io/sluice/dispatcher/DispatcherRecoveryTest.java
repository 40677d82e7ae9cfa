package io.sluice.dispatcher;

import static io.sluice.dispatcher.JobFixtures.MODELS;
import static io.sluice.dispatcher.JobFixtures.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.embedded.TestInfrastructure;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.topic.TopicCatalog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dispatcher recovers its local state by itself, and says so when it cannot process. */
class DispatcherRecoveryTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path stateDir;
  private final String bootstrap = TestInfrastructure.kafka().bootstrapServers();
  private final TopicCatalog topics = new TopicCatalog(TestInfrastructure.uniqueName("rec"));

  private DispatcherSettings settings() {
    return DispatcherSettings.builder(bootstrap, stateDir)
        .topicPrefix(topics.prefix())
        .models(MODELS)
        .partitions(1)
        .replicationFactor((short) 1)
        .build();
  }

  @Test
  void shouldWipeAStoreLeftUnopenableByAKilledProcessAndRestoreItFromItsChangelog()
      throws IOException {
    SubmittedJob before = aJob().withId("before-" + topics.prefix()).build();
    SubmittedJob after = aJob().withId("after-" + topics.prefix()).build();
    try (var broker = new OnBroker(bootstrap)) {
      try (Dispatcher dispatcher = Dispatcher.start(settings())) {
        dispatcher.awaitRunning(TIMEOUT);
        broker.send(topics.jobsSubmitted(), before.jobId(), before);
        broker.awaitAtLeast(topics.tasks("openai", Lane.STANDARD), 1, TIMEOUT);
      }
      leaveOnlyAWriteAheadLogIn(storeDirectory(DispatcherTopology.DISPATCHED_JOBS_STORE));

      var fatal = new AtomicReference<Throwable>();
      try (Dispatcher dispatcher = Dispatcher.start(settings())) {
        dispatcher.onFatal(fatal::set);
        dispatcher.awaitRunning(TIMEOUT);
        broker.send(topics.jobsSubmitted(), before.jobId(), before);
        broker.send(topics.jobsSubmitted(), after.jobId(), after);

        var tasks = broker.awaitAtLeast(topics.tasks("openai", Lane.STANDARD), 2, TIMEOUT);

        assertThat(tasks).extracting(Task::jobId).containsExactly(before.jobId(), after.jobId());
        assertThat(fatal.get()).isNull();
      }
    }
  }

  @Test
  void shouldRestoreItsInMemoryStoresFromTheirChangelogsAtEveryStart() {
    SubmittedJob before = aJob().withId("before-" + topics.prefix()).build();
    SubmittedJob after = aJob().withId("after-" + topics.prefix()).build();
    DispatcherSettings inMemory =
        DispatcherSettings.builder(bootstrap, stateDir)
            .topicPrefix(topics.prefix())
            .models(MODELS)
            .partitions(1)
            .replicationFactor((short) 1)
            .stateStores(StateStores.IN_MEMORY)
            .build();
    try (var broker = new OnBroker(bootstrap)) {
      try (Dispatcher dispatcher = Dispatcher.start(inMemory)) {
        dispatcher.awaitRunning(TIMEOUT);
        broker.send(topics.jobsSubmitted(), before.jobId(), before);
        broker.awaitAtLeast(topics.tasks("openai", Lane.STANDARD), 1, TIMEOUT);
      }

      try (Dispatcher dispatcher = Dispatcher.start(inMemory)) {
        dispatcher.awaitRunning(TIMEOUT);
        broker.send(topics.jobsSubmitted(), before.jobId(), before); // known: restored, not routed
        broker.send(topics.jobsSubmitted(), after.jobId(), after);

        var tasks = broker.awaitAtLeast(topics.tasks("openai", Lane.STANDARD), 2, TIMEOUT);

        assertThat(tasks).extracting(Task::jobId).containsExactly(before.jobId(), after.jobId());
      }
    }
  }

  @Test
  void shouldReportItCannotProcessWhenItsStreamThreadsKeepFailing() {
    Topology failing = new Topology();
    failing
        .addSource(
            "jobs",
            Serdes.String().deserializer(),
            Serdes.String().deserializer(),
            topics.jobsSubmitted().name())
        .addProcessor("fails", FailsToStart::new, "jobs");
    var fatal = new AtomicReference<Throwable>();

    try (Dispatcher dispatcher = Dispatcher.start(settings(), failing, Clock.systemUTC())) {
      dispatcher.onFatal(fatal::set);

      await().atMost(TIMEOUT).untilAsserted(() -> assertThat(fatal.get()).isNotNull());
      assertThat(dispatcher.isRunning()).isFalse();
    }
  }

  /** RocksDB's files as a SIGKILL can leave them: a write-ahead log, no CURRENT or MANIFEST. */
  private static void leaveOnlyAWriteAheadLogIn(Path store) throws IOException {
    try (Stream<Path> files = Files.walk(store)) {
      for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
        if (!file.equals(store)) {
          Files.delete(file);
        }
      }
    }
    Files.writeString(store.resolve("000042.log"), "torn write", StandardCharsets.UTF_8);
  }

  private Path storeDirectory(String store) throws IOException {
    try (Stream<Path> paths = Files.walk(stateDir)) {
      return paths
          .filter(path -> Files.isDirectory(path) && path.getFileName().toString().equals(store))
          .findFirst()
          .orElseThrow(() -> new AssertionError("no directory of store " + store));
    }
  }

  private static final class FailsToStart implements Processor<String, String, Void, Void> {
    @Override
    public void init(ProcessorContext<Void, Void> context) {
      throw new IllegalStateException("this processor never starts");
    }

    @Override
    public void process(Record<String, String> record) {}
  }
}
