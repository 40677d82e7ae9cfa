package io.sluice.dispatcher;

import static io.sluice.dispatcher.JobFixtures.MODELS;
import static io.sluice.dispatcher.JobFixtures.NOW;
import static io.sluice.dispatcher.JobFixtures.aJob;
import static io.sluice.dispatcher.JobFixtures.aPlacementFor;
import static io.sluice.dispatcher.JobFixtures.aSuccessFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.embedded.TestInfrastructure;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.topic.Topic;
import io.sluice.schemas.topic.TopicCatalog;
import io.sluice.schemas.topic.TopicProvisioner;
import io.sluice.testing.ManualClock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dispatcher on a real broker, exactly-once v2: job in, task out; result in, event out. */
class DispatcherOnKafkaTest {
  private static final Duration TIMEOUT = Duration.ofSeconds(60);

  @TempDir Path stateDir;

  @Test
  void shouldRouteAJobAndCompleteItThroughTransactionsOnARealBroker() {
    String bootstrap = TestInfrastructure.kafka().bootstrapServers();
    TopicCatalog topics = new TopicCatalog(TestInfrastructure.uniqueName("t"));
    var settings =
        DispatcherSettings.builder(bootstrap, stateDir)
            .topicPrefix(topics.prefix())
            .applicationId(TestInfrastructure.uniqueName("dispatcher"))
            .models(MODELS)
            .partitions(1)
            .replicationFactor((short) 1)
            .build();
    SubmittedJob job = aJob().withModel("fast").build();

    try (Dispatcher dispatcher = Dispatcher.start(settings);
        var producer = producer(bootstrap)) {
      dispatcher.awaitRunning(TIMEOUT);
      send(
          producer,
          topics.jobsSubmitted().name(),
          "poison",
          "{not json".getBytes(StandardCharsets.UTF_8));
      send(
          producer, topics.jobsSubmitted().name(), job.jobId(), bytes(topics.jobsSubmitted(), job));

      Task task = awaitOne(bootstrap, topics.tasks("openai", Lane.STANDARD));
      assertThat(task.jobId()).isEqualTo(job.jobId());
      assertThat(task.request().model()).isEqualTo("gpt-4o-mini");
      assertThat(awaitOne(bootstrap, topics.deadLetters()).key()).isEqualTo("poison");

      var result = aSuccessFor(job);
      send(producer, topics.taskResults().name(), job.jobId(), bytes(topics.taskResults(), result));

      JobEvent event = awaitOne(bootstrap, topics.jobsEvents());
      assertThat(event.eventId()).isEqualTo(job.jobId() + ".succeeded");
      assertThat(event.status()).isEqualTo(JobStatus.SUCCEEDED);
      assertThat(event.output()).isEqualTo(result.output());
    }
  }

  @Test
  void shouldProcessOnlyItsOwnJobsNextToADeploymentWithAnotherPrefixOnTheSameBroker() {
    String bootstrap = TestInfrastructure.kafka().bootstrapServers();
    TopicCatalog staging = new TopicCatalog(TestInfrastructure.uniqueName("staging"));
    TopicCatalog production = new TopicCatalog(TestInfrastructure.uniqueName("production"));

    try (Dispatcher first = Dispatcher.start(withDefaultApplicationId(bootstrap, staging));
        Dispatcher second = Dispatcher.start(withDefaultApplicationId(bootstrap, production));
        var broker = new OnBroker(bootstrap)) {
      first.awaitRunning(TIMEOUT);
      second.awaitRunning(TIMEOUT);
      List<String> stagingJobs = submitJobs(broker, staging, 5);
      List<String> productionJobs = submitJobs(broker, production, 5);

      assertThat(broker.awaitAtLeast(staging.tasks("openai", Lane.STANDARD), 5, TIMEOUT))
          .extracting(Task::jobId)
          .containsExactlyInAnyOrderElementsOf(stagingJobs);
      assertThat(broker.awaitAtLeast(production.tasks("openai", Lane.STANDARD), 5, TIMEOUT))
          .extracting(Task::jobId)
          .containsExactlyInAnyOrderElementsOf(productionJobs);
    }
  }

  /**
   * Deadlines travel from dispatch to completion over the dispatcher's own topic, partitioned like
   * task-results (here 3 partitions, created first, as a worker pool would) and not like
   * jobs.submitted (2): a job that finished is never expired, one that did not is, once.
   */
  @Test
  void shouldExpireExactlyTheJobsThatDidNotFinishByTheirDeadline() {
    String bootstrap = TestInfrastructure.kafka().bootstrapServers();
    TopicCatalog topics = new TopicCatalog(TestInfrastructure.uniqueName("dl"));
    new TopicProvisioner(bootstrap, 3, (short) 1).ensure(List.of(topics.taskResults().name()));
    var settings =
        DispatcherSettings.builder(bootstrap, stateDir)
            .topicPrefix(topics.prefix())
            .applicationId(TestInfrastructure.uniqueName("dispatcher"))
            .models(MODELS)
            .partitions(2)
            .replicationFactor((short) 1)
            .expiryCheckInterval(Duration.ofMillis(100))
            .build();
    var clock = new ManualClock(NOW);
    Instant deadline = NOW.plus(Duration.ofMinutes(10));
    List<SubmittedJob> finishing = jobs(topics, "done", 6, deadline);
    List<SubmittedJob> expiring = jobs(topics, "late", 6, deadline);

    try (Dispatcher dispatcher = Dispatcher.start(settings, clock);
        var broker = new OnBroker(bootstrap)) {
      dispatcher.awaitRunning(TIMEOUT);
      for (SubmittedJob job : concat(finishing, expiring)) {
        broker.send(topics.jobsSubmitted(), job.jobId(), job);
      }
      broker.awaitAtLeast(topics.tasks("openai", Lane.STANDARD), 12, TIMEOUT);
      broker.send(
          topics.taskResults(),
          finishing.getFirst().jobId(),
          aPlacementFor(finishing.getFirst(), Placement.Stage.IN_PROVIDER_BATCH, 1, "batch_1"));
      for (SubmittedJob job : finishing) {
        broker.send(topics.taskResults(), job.jobId(), aSuccessFor(job));
      }
      broker.awaitAtLeast(topics.jobsEvents(), 7, TIMEOUT);

      clock.advance(Duration.ofMinutes(10));
      List<JobEvent> events = broker.awaitAtLeast(topics.jobsEvents(), 13, TIMEOUT);
      broker.send(
          topics.taskResults(), expiring.getFirst().jobId(), aSuccessFor(expiring.getFirst()));
      List<JobEvent> withCost = broker.awaitAtLeast(topics.jobsEvents(), 14, TIMEOUT);

      assertThat(events)
          .extracting(JobEvent::eventId)
          .containsExactlyInAnyOrderElementsOf(
              concat(
                  List.of(finishing.getFirst().jobId() + ".placed.in_provider_batch.1.batch_1"),
                  concat(ids(finishing, ".succeeded"), ids(expiring, ".expired"))));
      assertThat(withCost).hasSize(14);
      assertThat(withCost)
          .filteredOn(event -> event.eventId().contains(".cost."))
          .singleElement()
          .satisfies(
              cost -> {
                assertThat(cost.eventId()).isEqualTo(expiring.getFirst().jobId() + ".cost.1");
                assertThat(cost.status()).isEqualTo(JobStatus.EXPIRED);
              });
    }
  }

  private static List<SubmittedJob> jobs(
      TopicCatalog topics, String name, int count, Instant deadline) {
    List<SubmittedJob> jobs = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      jobs.add(
          aJob().withId(topics.prefix() + "-" + name + "-" + i).withDeadline(deadline).build());
    }
    return jobs;
  }

  private static List<String> ids(List<SubmittedJob> jobs, String suffix) {
    return jobs.stream().map(job -> job.jobId() + suffix).toList();
  }

  private static <T> List<T> concat(List<? extends T> first, List<? extends T> second) {
    List<T> all = new ArrayList<>(first);
    all.addAll(second);
    return all;
  }

  /** No application ID set: each deployment's comes from its topic prefix. */
  private DispatcherSettings withDefaultApplicationId(String bootstrap, TopicCatalog topics) {
    return DispatcherSettings.builder(bootstrap, stateDir.resolve(topics.prefix()))
        .topicPrefix(topics.prefix())
        .models(MODELS)
        .partitions(2)
        .replicationFactor((short) 1)
        .build();
  }

  private static List<String> submitJobs(OnBroker broker, TopicCatalog topics, int count) {
    List<String> jobIds = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SubmittedJob job = aJob().withId(topics.prefix() + "-" + i).build();
      broker.send(topics.jobsSubmitted(), job.jobId(), job);
      jobIds.add(job.jobId());
    }
    return jobIds;
  }

  private static <V> byte[] bytes(Topic<String, V> topic, V value) {
    return topic.valueSerde().serializer().serialize(topic.name(), value);
  }

  private static KafkaProducer<String, byte[]> producer(String bootstrap) {
    return new KafkaProducer<>(
        Map.of(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap),
        new StringSerializer(),
        new ByteArraySerializer());
  }

  private static void send(
      KafkaProducer<String, byte[]> producer, String topic, String key, byte[] value) {
    producer.send(new ProducerRecord<>(topic, key, value));
    producer.flush();
  }

  /** Reads committed records only: the dispatcher's output counts once its transaction commits. */
  private static <V> V awaitOne(String bootstrap, Topic<String, V> topic) {
    Map<String, Object> config =
        Map.of(
            ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
            ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed",
            ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (var consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), topic.valueSerde().deserializer())) {
      consumer.assign(List.of(new TopicPartition(topic.name(), 0)));
      consumer.seekToBeginning(consumer.assignment());
      List<V> seen = new ArrayList<>();
      await()
          .atMost(TIMEOUT)
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(200)).forEach(record -> seen.add(record.value()));
                return !seen.isEmpty();
              });
      assertThat(seen).hasSize(1);
      return seen.getFirst();
    }
  }
}
