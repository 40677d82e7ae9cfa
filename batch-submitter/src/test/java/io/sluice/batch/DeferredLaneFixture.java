package io.sluice.batch;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.sluice.batch.plan.BatchPhase;
import io.sluice.batch.plan.ItemState;
import io.sluice.batch.store.BatchDatabase;
import io.sluice.batch.store.PendingItemRepository;
import io.sluice.batch.store.ProviderBatchRepository;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.providers.BatchProvider;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderFactory;
import io.sluice.providers.ProviderKind;
import io.sluice.schemas.Versioned;
import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.JobControl;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.json.Json;
import io.sluice.schemas.json.JsonSerde;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.task.TaskResult;
import io.sluice.schemas.topic.DeadLetter;
import io.sluice.schemas.topic.TopicCatalog;
import io.sluice.simulator.BatchSettings;
import io.sluice.simulator.LatencySettings;
import io.sluice.simulator.Simulator;
import io.sluice.simulator.SimulatorConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * One test's world: the simulator, a fresh database, a unique topic prefix, a producer of deferred
 * tasks and a reader of task results, and batch-submitters started on them.
 */
final class DeferredLaneFixture implements AutoCloseable {
  static final String API_KEY = "sk-sim-deferred-0123456789";
  static final String OPENAI_MODEL = "gpt-4o-mini";
  static final String ANTHROPIC_MODEL = "claude-haiku-4-5";

  final Simulator simulator;
  final TopicCatalog topics = new TopicCatalog(TestInfrastructure.uniqueName("bs"));
  final PostgresEndpoint database = TestInfrastructure.newDatabase();
  final HikariDataSource pool;
  final BatchDatabase db;

  /** The first terminal result of each task. */
  final Map<String, TaskResult> results = new ConcurrentHashMap<>();

  /** Every terminal result, in the order read. */
  final List<TaskResult> allResults = java.util.Collections.synchronizedList(new ArrayList<>());

  /** Every record of the results topic, placements included, in the order read. */
  final List<TaskResult> everything = java.util.Collections.synchronizedList(new ArrayList<>());

  private final KafkaProducer<String, byte[]> producer;
  private final List<BatchSubmitter> started = new ArrayList<>();
  private final HttpClient http = HttpClient.newHttpClient();
  private volatile boolean reading = true;
  private final Thread reader;

  DeferredLaneFixture(BatchSettings batches, Clock simulatorClock) {
    SimulatorConfig.Builder config =
        SimulatorConfig.builder().latency(LatencySettings.NONE).batches(batches).apiKey(API_KEY);
    if (simulatorClock != null) {
      config.clock(simulatorClock);
    }
    simulator = Simulator.start(config.build());
    pool = pool(database);
    db = new BatchDatabase(pool);
    Properties props = new Properties();
    props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    producer = new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer());
    reader = Thread.ofPlatform().daemon().start(this::readResults);
  }

  static String bootstrap() {
    return TestInfrastructure.kafka().bootstrapServers();
  }

  ProviderConfig openai() {
    return ProviderConfig.of("openai", ProviderKind.OPENAI, simulator.baseUrl(), API_KEY);
  }

  ProviderConfig anthropic() {
    return ProviderConfig.of("anthropic", ProviderKind.ANTHROPIC, simulator.baseUrl(), API_KEY);
  }

  BatchSubmitterSettings.Builder settings() {
    return BatchSubmitterSettings.builder(
            bootstrap(),
            BatchSubmitterSettings.Jdbc.of(
                database.jdbcUrl(), database.username(), database.password()),
            List.of(openai(), anthropic()))
        .topics(topics)
        .groupId(TestInfrastructure.uniqueName("bsg"))
        .topicPartitions(1)
        .linger(Duration.ofMillis(500))
        .pollInterval(Duration.ofMillis(200))
        .retryDelay(Duration.ofMillis(100))
        .reconcileGrace(Duration.ofMillis(300))
        .tick(Duration.ofMillis(100));
  }

  /** The default adapter of a provider account, wrapped. */
  static Function<ProviderConfig, BatchProvider> adapters(
      Function<BatchProvider, BatchProvider> wrap) {
    ProviderFactory factory = new ProviderFactory();
    return config -> wrap.apply(factory.batch(config).orElseThrow());
  }

  BatchSubmitter start(BatchSubmitterSettings settings) {
    BatchSubmitter submitter = BatchSubmitter.start(settings);
    started.add(submitter);
    return submitter;
  }

  Task send(String provider, String model, String taskId, String prompt) {
    return send(provider, model, taskId, prompt, 10, null);
  }

  Task send(
      String provider,
      String model,
      String taskId,
      String prompt,
      long estimatedInputTokens,
      Instant deadline) {
    Task task =
        new Task(
            Versioned.CURRENT,
            taskId,
            "job-" + taskId,
            "tenant-1",
            provider,
            Lane.DEFERRED,
            new CompletionSpec(model, List.of(ChatMessage.user(prompt)), 50, null, null),
            estimatedInputTokens,
            Instant.now(),
            deadline);
    String topic = topics.tasks(provider, Lane.DEFERRED).name();
    producer.send(new ProducerRecord<>(topic, taskId, JsonSerde.of(Task.class).toBytes(task)));
    producer.flush();
    return task;
  }

  void sendRaw(String provider, String key, byte[] value) {
    producer.send(new ProducerRecord<>(topics.tasks(provider, Lane.DEFERRED).name(), key, value));
    producer.flush();
  }

  /** Publishes a cancel of the job to {@code jobs.control}, as job-api does. */
  void cancel(String jobId) {
    var control = JobControl.cancel(jobId, "tenant-1", Instant.now());
    producer.send(
        new ProducerRecord<>(
            topics.jobsControl().name(), jobId, JsonSerde.of(JobControl.class).toBytes(control)));
    producer.flush();
  }

  /** The placements of one task, in the order published. */
  List<Placement> placements(String taskId) {
    synchronized (everything) {
      return everything.stream()
          .filter(r -> r.taskId().equals(taskId) && r.outcome() == TaskOutcome.PLACED)
          .map(TaskResult::placement)
          .toList();
    }
  }

  /** The tasks on a provider's realtime lane so far (reads the topic from the start). */
  List<Task> realtimeTasks(String provider, Lane lane) {
    return readAll(topics.tasks(provider, lane).name(), JsonSerde.of(Task.class));
  }

  /** The dead letters published so far (reads the topic from the start). */
  List<DeadLetter> deadLetters() {
    return readAll(topics.deadLetters().name(), JsonSerde.of(DeadLetter.class));
  }

  private <T> List<T> readAll(String topic, JsonSerde<T> serde) {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      List<TopicPartition> partitions =
          consumer.partitionsFor(topic).stream()
              .map(p -> new TopicPartition(p.topic(), p.partition()))
              .toList();
      consumer.assign(partitions);
      consumer.seekToBeginning(partitions);
      List<T> values = new ArrayList<>();
      for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofSeconds(2))) {
        values.add(serde.fromBytes(record.value()));
      }
      return values;
    }
  }

  void awaitResults(int count, Duration timeout) {
    await().atMost(timeout).until(() -> results.size() >= count);
  }

  void awaitBatch(BatchPhase phase, Duration timeout) {
    await().atMost(timeout).until(() -> batchesByPhase().get(phase) > 0);
  }

  Map<BatchPhase, Long> batchesByPhase() {
    return db.inTransaction("count", c -> new ProviderBatchRepository().countByPhase(c));
  }

  Map<ItemState, Long> itemsByState() {
    return db.inTransaction("count", c -> new PendingItemRepository().countByState(c));
  }

  PendingItemRepository.ItemView item(String taskId) {
    return db.inTransaction("find", c -> new PendingItemRepository().find(c, taskId)).orElseThrow();
  }

  /** The line counts of Sluice's provider batches of a provider, in the order they were planned. */
  List<Integer> lineCounts(String provider) {
    return db.inTransaction(
        "line counts",
        c -> {
          List<Integer> counts = new ArrayList<>();
          try (var select =
              c.prepareStatement(
                  "SELECT line_count FROM batch_submitter.provider_batch WHERE provider = ?"
                      + " ORDER BY planned_at")) {
            select.setString(1, provider);
            try (var rows = select.executeQuery()) {
              while (rows.next()) {
                counts.add(rows.getInt(1));
              }
            }
          }
          return counts;
        });
  }

  /** How many batches the simulator holds: OpenAI's and Anthropic's lists. */
  int providerBatches(String provider) {
    return providerBatchList(provider).size();
  }

  /**
   * The simulator's OpenAI batches that have not ended ({@code validating}, {@code in_progress},
   * {@code finalizing}), as its list shows them, with their request counts.
   */
  List<Integer> unfinishedOpenAiBatchSizes() {
    List<Integer> sizes = new ArrayList<>();
    for (JsonNode batch : providerBatchList("openai")) {
      String status = batch.path("status").asText();
      if (List.of("validating", "in_progress", "finalizing").contains(status)) {
        sizes.add(batch.path("request_counts").path("total").asInt());
      }
    }
    return sizes;
  }

  private List<JsonNode> providerBatchList(String provider) {
    boolean anthropic = provider.equals("anthropic");
    String path = anthropic ? "/v1/messages/batches?limit=1000" : "/v1/batches?limit=100";
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(simulator.baseUrl() + path)).GET();
    if (anthropic) {
      request.header("x-api-key", API_KEY).header("anthropic-version", "2023-06-01");
    } else {
      request.header("Authorization", "Bearer " + API_KEY);
    }
    try {
      JsonNode list =
          Json.mapper()
              .readTree(http.send(request.build(), HttpResponse.BodyHandlers.ofString()).body());
      List<JsonNode> batches = new ArrayList<>();
      list.path("data").forEach(batches::add);
      return batches;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private void readResults() {
    Properties props = new Properties();
    props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap());
    props.put(ConsumerConfig.GROUP_ID_CONFIG, TestInfrastructure.uniqueName("results"));
    props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer.subscribe(List.of(topics.taskResults().name()));
      JsonSerde<TaskResult> serde = JsonSerde.of(TaskResult.class);
      while (reading) {
        for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(100))) {
          TaskResult result = serde.fromBytes(record.value());
          everything.add(result);
          if (result.outcome().isTerminal()) {
            allResults.add(result);
            results.putIfAbsent(result.taskId(), result);
          }
        }
      }
    }
  }

  private void joinReader() {
    try {
      reader.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static HikariDataSource pool(PostgresEndpoint database) {
    HikariConfig config = new HikariConfig();
    config.setJdbcUrl(database.jdbcUrl());
    config.setUsername(database.username());
    config.setPassword(database.password());
    config.setMaximumPoolSize(2);
    config.setPoolName(TestInfrastructure.uniqueName("bs-test"));
    return new HikariDataSource(config);
  }

  @Override
  public void close() {
    for (BatchSubmitter part : started.reversed()) {
      part.close();
    }
    reading = false;
    joinReader();
    producer.close();
    pool.close();
    simulator.close();
    database.close();
  }
}
