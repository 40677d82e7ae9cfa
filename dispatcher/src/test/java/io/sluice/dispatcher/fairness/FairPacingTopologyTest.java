package io.sluice.dispatcher.fairness;

import static io.sluice.dispatcher.JobFixtures.MODELS;
import static io.sluice.dispatcher.JobFixtures.aJob;
import static io.sluice.dispatcher.JobFixtures.aSuccessFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.dispatcher.DispatcherSettings;
import io.sluice.dispatcher.DispatcherTopology;
import io.sluice.dispatcher.internal.StreamsProperties;
import io.sluice.lane.TenantWeights;
import io.sluice.schemas.job.JobControl;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.Priority;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskResult;
import io.sluice.schemas.topic.Topic;
import io.sluice.schemas.topic.TopicCatalog;
import io.sluice.testing.ManualClock;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The dispatcher's pacing of the standard and bulk lanes, on the production topology. */
class FairPacingTopologyTest {
  private static final TopicCatalog TOPICS = new TopicCatalog("t");

  @TempDir Path stateDir;
  private final ManualClock clock = new ManualClock();
  private final Map<String, SubmittedJob> jobs = new HashMap<>();
  private TopologyTestDriver driver;

  @AfterEach
  void closeDriver() {
    if (driver != null) {
      driver.close();
    }
  }

  @Test
  void shouldKeepAtMostTheWindowOfALaneOnItsTopic() {
    start(PacingSettings.STANDARD_AND_BULK.withWindow(3));

    submitBulk("a", 10);

    assertThat(bulkTasks().readValuesToList()).hasSize(3);
  }

  @Test
  void shouldReleaseALaterTenantsTasksBetweenTheFirstTenantsBacklog() {
    start(PacingSettings.DEFAULT.withWindow(2));
    submitBulk("a", 20);
    submitBulk("b", 3);
    List<Task> released = new ArrayList<>(bulkTasks().readValuesToList());

    for (int finished = 0; finished < 6; finished++) {
      report(aSuccessFor(jobs.get(released.get(finished).jobId())));
      released.addAll(bulkTasks().readValuesToList());
    }

    assertThat(tenants(released)).containsExactly("a", "a", "b", "a", "b", "a", "b", "a");
  }

  @Test
  void shouldReleaseByWeight() {
    start(
        PacingSettings.DEFAULT.withWindow(1).withWeights(new TenantWeights(Map.of("heavy", 3), 1)));
    submitBulk("heavy", 30);
    submitBulk("light", 30);
    List<Task> released = new ArrayList<>(bulkTasks().readValuesToList());

    while (released.size() < 21) {
      report(aSuccessFor(jobs.get(released.getLast().jobId())));
      released.addAll(bulkTasks().readValuesToList());
    }

    // after the first (heavy's only, before light arrived): 3 of heavy for each of light
    List<String> after = tenants(released.subList(1, 21));
    assertThat(after.stream().filter("heavy"::equals).count()).isEqualTo(15);
  }

  @Test
  void shouldNotPaceTheInteractiveLane() {
    start(PacingSettings.DEFAULT.withWindow(1));
    submitBulk("a", 5);

    for (int i = 0; i < 4; i++) {
      submit(aJob().withTenant("a").withPriority(Priority.INTERACTIVE).build());
    }

    assertThat(output(TOPICS.tasks("openai", Lane.INTERACTIVE)).readValuesToList()).hasSize(4);
    assertThat(bulkTasks().readValuesToList()).hasSize(1);
  }

  @Test
  void shouldNotReleaseTheTaskOfAJobCancelledWhileItWaited() {
    start(PacingSettings.DEFAULT.withWindow(1));
    SubmittedJob first = submitBulk("a", 1).getFirst();
    SubmittedJob waiting = submitBulk("a", 1).getFirst();
    SubmittedJob last = submitBulk("a", 1).getFirst();
    assertThat(bulkTasks().readValuesToList())
        .extracting(Task::jobId)
        .containsExactly(first.jobId());

    input(TOPICS.jobsControl())
        .pipeInput(waiting.jobId(), JobControl.cancel(waiting.jobId(), "a", clock.instant()));
    report(aSuccessFor(first));

    assertThat(bulkTasks().readValuesToList())
        .extracting(Task::jobId)
        .containsExactly(last.jobId());
    assertThat(output(TOPICS.jobsEvents()).readValuesToList())
        .filteredOn(event -> event.jobId().equals(waiting.jobId()))
        .extracting(JobEvent::status)
        .containsExactly(JobStatus.CANCELLED);
  }

  @Test
  void shouldFreeTheWindowOfATaskWhoseResultNeverCame() {
    start(PacingSettings.DEFAULT.withWindow(1).withReleaseTimeout(Duration.ofMinutes(5)));
    submitBulk("a", 2);
    assertThat(bulkTasks().readValuesToList()).hasSize(1);

    clock.advance(Duration.ofMinutes(4));
    driver.advanceWallClockTime(Duration.ofSeconds(2));
    assertThat(bulkTasks().isEmpty()).isTrue();
    clock.advance(Duration.ofMinutes(2));
    driver.advanceWallClockTime(Duration.ofSeconds(2));

    assertThat(bulkTasks().readValuesToList()).hasSize(1);
  }

  @Test
  void shouldCountADuplicateResultOnce() {
    start(PacingSettings.DEFAULT.withWindow(1));
    SubmittedJob first = submitBulk("a", 3).getFirst();
    bulkTasks().readValuesToList();

    report(aSuccessFor(first));
    report(aSuccessFor(first));

    assertThat(bulkTasks().readValuesToList()).hasSize(1);
    try (var inFlight = driver.<String, Object>getKeyValueStore(Pacing.IN_FLIGHT_STORE).all()) {
      assertThat(inFlight).toIterable().hasSize(1);
    }
  }

  @Test
  void shouldPaceNothingWhenPacingIsOff() {
    start(PacingSettings.OFF);

    submitBulk("a", 10);

    assertThat(bulkTasks().readValuesToList()).hasSize(10);
  }

  private List<SubmittedJob> submitBulk(String tenant, int count) {
    List<SubmittedJob> submitted = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      SubmittedJob job = aJob().withTenant(tenant).withPriority(Priority.BULK).build();
      submit(job);
      submitted.add(job);
    }
    return submitted;
  }

  private void submit(SubmittedJob job) {
    jobs.put(job.jobId(), job);
    input(TOPICS.jobsSubmitted()).pipeInput(job.jobId(), job);
  }

  private void report(TaskResult result) {
    input(TOPICS.taskResults()).pipeInput(result.jobId(), result);
  }

  private static List<String> tenants(List<Task> tasks) {
    return new ArrayList<>(tasks.stream().map(Task::tenantId).toList());
  }

  private TestOutputTopic<String, Task> bulkTasks() {
    return output(TOPICS.tasks("openai", Lane.BULK));
  }

  private void start(PacingSettings pacing) {
    var settings =
        DispatcherSettings.builder("unused:9092", stateDir)
            .topicPrefix(TOPICS.prefix())
            .models(MODELS)
            .pacing(pacing)
            .build();
    driver =
        new TopologyTestDriver(
            new DispatcherTopology(settings, clock).build(), StreamsProperties.of(settings, clock));
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
