package io.sluice.dispatcher;

import static io.sluice.dispatcher.JobFixtures.CLOCK;
import static io.sluice.dispatcher.JobFixtures.MODELS;
import static io.sluice.dispatcher.JobFixtures.NOW;
import static io.sluice.dispatcher.MapReduceFixtures.BUDGET;
import static io.sluice.dispatcher.MapReduceFixtures.MAX_TOKENS;
import static io.sluice.dispatcher.MapReduceFixtures.answer;
import static io.sluice.dispatcher.MapReduceFixtures.chunks;
import static io.sluice.dispatcher.MapReduceFixtures.count;
import static io.sluice.dispatcher.MapReduceFixtures.expectedTotal;
import static io.sluice.dispatcher.MapReduceFixtures.failure;
import static io.sluice.dispatcher.MapReduceFixtures.records;
import static io.sluice.dispatcher.MapReduceFixtures.spec;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.dispatcher.internal.StreamsProperties;
import io.sluice.dispatcher.mapreduce.MapReduceFlow;
import io.sluice.mapreduce.ReduceGrouping;
import io.sluice.mapreduce.ReducePlan;
import io.sluice.mapreduce.ReduceTree;
import io.sluice.schemas.Versioned;
import io.sluice.schemas.job.ChunkErrorPolicy;
import io.sluice.schemas.job.JobControl;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.MapReduceSpec;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskResult;
import io.sluice.schemas.topic.Topic;
import io.sluice.schemas.topic.TopicCatalog;
import io.sluice.tokens.TokenEstimator;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Map-reduce jobs through the production topology under {@code TopologyTestDriver} (exactly-once
 * properties): chunk records become map tasks, the map outputs are reduced in a tree of the shape
 * the estimate plans, and the final answer is the job's result. A fake worker answers each task as
 * the simulator does ({@code count occurrences of "x"}, {@code sum the numbers}), so the expected
 * total is known from the chunks alone.
 */
class MapReduceTopologyTest {
  private static final TopicCatalog TOPICS = new TopicCatalog("t");

  @TempDir Path stateDir;
  private TopologyTestDriver driver;

  @BeforeEach
  void start() {
    var settings =
        DispatcherSettings.builder("unused:9092", stateDir)
            .topicPrefix(TOPICS.prefix())
            .models(MODELS)
            .build();
    driver =
        new TopologyTestDriver(
            new DispatcherTopology(settings, TokenEstimator::inputTokens, CLOCK).build(),
            StreamsProperties.of(settings, CLOCK));
  }

  @AfterEach
  void close() {
    driver.close();
  }

  @Test
  void shouldReduceTenChunksInATreeToTheIndependentTotal() {
    List<String> chunks = chunks(10);

    submitAll("j1", chunks, spec(chunks.size(), ChunkErrorPolicy.FAIL, 8));
    JobEvent end = runWorkerUntilEnd();

    assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(end.output()).isEqualTo(Integer.toString(expectedTotal(chunks)));
    ReducePlan plan =
        new ReduceTree(new ReduceGrouping(BUDGET, 1), 8)
            .plan(Collections.nCopies(10, (long) MAX_TOKENS), MAX_TOKENS);
    assertThat(end.progress().treeDepth()).isEqualTo(plan.depth()).isEqualTo(3);
    assertThat(end.progress().mapCalls()).isEqualTo(10);
    assertThat(end.progress().reduceCalls()).isEqualTo(plan.calls()).isEqualTo(7);
    assertThat(end.progress().chunksDone()).isEqualTo(10);
    assertThat(end.usage().inputTokens()).isEqualTo(17 * 5L);
    assertThat(end.costUsd()).isEqualByComparingTo(new BigDecimal("0.000017"));
    assertThat(end.attempts()).isEqualTo(17);
    assertThat(storeSize(DispatcherTopology.MAP_REDUCE_ANSWERS_STORE)).isZero();
    assertThat(storeSize(DispatcherTopology.MAP_REDUCE_JOBS_STORE)).isZero();
  }

  @Test
  void shouldCountAMapResultDeliveredTwiceOnce() {
    List<String> chunks = chunks(2);
    submitAll("j2", chunks, spec(2, ChunkErrorPolicy.FAIL, 8));
    List<Task> maps = tasks().readValuesToList();

    report(answer(maps.get(0)));
    report(answer(maps.get(0)));

    assertThat(tasks().isEmpty()).as("no reduce before chunk 1 is mapped").isTrue();
    report(answer(maps.get(1)));
    List<Task> reduces = tasks().readValuesToList();
    assertThat(reduces).extracting(Task::taskId).containsExactly("j2.r1.0");
    report(answer(reduces.getFirst()));
    assertThat(lastEvent().output()).isEqualTo(Integer.toString(expectedTotal(chunks)));
  }

  @Test
  void shouldReduceMapResultsThatArriveBeforeTheJobIsRegistered() {
    List<String> chunks = chunks(2);
    MapReduceSpec spec = spec(2, ChunkErrorPolicy.FAIL, 8);
    for (int i = 0; i < 2; i++) {
      report(answer(mapTask("j3", i, chunks.get(i))));
    }

    submitAll("j3", chunks, spec);

    List<Task> queued = tasks().readValuesToList();
    Task reduce =
        queued.stream().filter(t -> t.taskId().equals("j3.r1.0")).findFirst().orElseThrow();
    report(answer(reduce));
    assertThat(lastEvent().status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(lastEvent().output()).isEqualTo(Integer.toString(expectedTotal(chunks)));
  }

  @Test
  void shouldSkipAFailedChunkAndNameItWhenAskedToSkip() {
    List<String> chunks = chunks(5);
    submitAll("j4", chunks, spec(5, ChunkErrorPolicy.SKIP, 8));

    JobEvent end = runWorkerUntilEnd(Set.of("j4.m3"));

    assertThat(end.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(end.progress().skippedChunks()).containsExactly(3);
    int withoutThree = expectedTotal(chunks) - count(chunks.get(3));
    assertThat(end.output()).isEqualTo(Integer.toString(withoutThree));
  }

  @Test
  void shouldFailTheJobNamingTheChunkThatFailed() {
    List<String> chunks = chunks(5);
    submitAll("j5", chunks, spec(5, ChunkErrorPolicy.FAIL, 8));

    JobEvent end = runWorkerUntilEnd(Set.of("j5.m2"));

    assertThat(end.status()).isEqualTo(JobStatus.FAILED);
    assertThat(end.error().code()).isEqualTo(MapReduceFlow.CHUNK_FAILED);
    assertThat(end.error().message()).startsWith("chunk 2 failed: provider_rejected");
  }

  @Test
  void shouldFailClearlyWhenTheReduceCannotConvergeWithinTheDepthBound() {
    List<String> chunks = chunks(10);
    submitAll("j6", chunks, spec(10, ChunkErrorPolicy.FAIL, 2));

    JobEvent end = runWorkerUntilEnd();

    assertThat(end.status()).isEqualTo(JobStatus.FAILED);
    assertThat(end.error().code()).isEqualTo(MapReduceFlow.REDUCE_FAILED);
    assertThat(end.error().message()).contains("does not converge within 2 levels");
  }

  @Test
  void shouldRunNoReduceForAJobCancelledDuringTheMapPhase() {
    List<String> chunks = chunks(3);
    submitAll("j7", chunks, spec(3, ChunkErrorPolicy.FAIL, 8));
    List<Task> maps = tasks().readValuesToList();

    report(answer(maps.get(0)));
    input(TOPICS.jobsControl()).pipeInput("j7", JobControl.cancel("j7", "tenant-1", NOW));
    report(answer(maps.get(1)));
    report(answer(maps.get(2)));

    assertThat(tasks().isEmpty()).isTrue();
    assertThat(lastEvent().status()).isEqualTo(JobStatus.CANCELLED);
  }

  private void submitAll(String jobId, List<String> chunks, MapReduceSpec spec) {
    for (SubmittedJob record : records(jobId, chunks, spec)) {
      input(TOPICS.jobsSubmitted()).pipeInput(jobId, record);
    }
  }

  private Task mapTask(String jobId, int index, String text) {
    return new Task(
        Versioned.CURRENT,
        Task.mapTaskId(jobId, index),
        jobId,
        "tenant-1",
        "openai",
        Lane.STANDARD,
        spec(1, ChunkErrorPolicy.FAIL, 8).map().call("gpt-4o-mini", text),
        5,
        NOW,
        null);
  }

  private JobEvent runWorkerUntilEnd() {
    return runWorkerUntilEnd(Set.of());
  }

  /** Answers every queued task (failing those named) until the job's terminal event. */
  private JobEvent runWorkerUntilEnd(Set<String> failing) {
    for (int round = 0; round < 100; round++) {
      List<Task> queued = tasks().readValuesToList();
      for (Task task : queued) {
        report(failing.contains(task.taskId()) ? failure(task) : answer(task));
      }
      JobEvent last = lastEvent();
      if (last != null && last.status().isTerminal()) {
        return last;
      }
      if (queued.isEmpty()) {
        throw new AssertionError("no task queued and the job has not ended: " + last);
      }
    }
    throw new AssertionError("the job did not end");
  }

  private JobEvent lastEventSeen;

  private JobEvent lastEvent() {
    events().readValuesToList().forEach(e -> lastEventSeen = e);
    return lastEventSeen;
  }

  private void report(TaskResult result) {
    input(TOPICS.taskResults()).pipeInput(result.jobId(), result);
  }

  private long storeSize(String store) {
    long entries = 0;
    try (var all = driver.getKeyValueStore(store).all()) {
      while (all.hasNext()) {
        all.next();
        entries++;
      }
    }
    return entries;
  }

  private TestOutputTopic<String, Task> tasks() {
    return output(TOPICS.tasks("openai", Lane.STANDARD));
  }

  private TestOutputTopic<String, JobEvent> events() {
    return output(TOPICS.jobsEvents());
  }

  private <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
    return driver.createInputTopic(
        topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
  }

  private <V> TestOutputTopic<String, V> output(Topic<String, V> topic) {
    return driver.createOutputTopic(
        topic.name(), Serdes.String().deserializer(), topic.valueSerde().deserializer());
  }
}
