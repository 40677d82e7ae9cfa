package io.sluice.dispatcher;

import static io.sluice.dispatcher.JobFixtures.CLOCK;
import static io.sluice.dispatcher.JobFixtures.MODELS;
import static io.sluice.dispatcher.JobFixtures.NOW;
import static io.sluice.dispatcher.JobFixtures.aBatchSuccessFor;
import static io.sluice.dispatcher.JobFixtures.aFailureFor;
import static io.sluice.dispatcher.JobFixtures.aJob;
import static io.sluice.dispatcher.JobFixtures.aPlacementFor;
import static io.sluice.dispatcher.JobFixtures.aStartFor;
import static io.sluice.dispatcher.JobFixtures.aSuccessFor;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.sluice.dispatcher.internal.StreamsProperties;
import io.sluice.lane.LanePolicy;
import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.Mode;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.job.Priority;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.JsonSerde;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskResult;
import io.sluice.schemas.topic.DeadLetter;
import io.sluice.schemas.topic.Topic;
import io.sluice.schemas.topic.TopicCatalog;
import io.sluice.testing.ManualClock;
import io.sluice.tokens.TokenEstimator;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.ToLongFunction;
import java.util.function.UnaryOperator;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DispatcherTopologyTest {
  private static final TopicCatalog TOPICS = new TopicCatalog("t");

  @TempDir Path stateDir;
  private TopologyTestDriver driver;

  @AfterEach
  void closeDriver() {
    if (driver != null) {
      driver.close();
    }
  }

  @Test
  void shouldQueueAJobOnItsModelsProviderLane() {
    start();
    SubmittedJob job = aJob().withId("j1").withModel("claude-haiku-4-5").build();

    submit(job);

    List<TestRecord<String, Task>> queued = tasks("anthropic", Lane.STANDARD).readRecordsToList();
    assertThat(queued).hasSize(1);
    assertThat(queued.getFirst().key()).isEqualTo("j1.c");
    assertThat(queued.getFirst().value().request().model()).isEqualTo("claude-haiku-4-5");
    assertThat(queued.getFirst().value().estimatedInputTokens()).isPositive();
    assertThat(tasks("openai", Lane.STANDARD).isEmpty()).isTrue();
  }

  @Test
  void shouldQueueAnAliasUnderTheProvidersModelName() {
    start();

    submit(aJob().withModel("fast").build());

    Task task = tasks("openai", Lane.STANDARD).readValue();
    assertThat(task.request().model()).isEqualTo("gpt-4o-mini");
    assertThat(task.provider()).isEqualTo("openai");
  }

  @ParameterizedTest
  @EnumSource(Priority.class)
  void shouldQueueEachPriorityOnItsOwnLane(Priority priority) {
    start();

    submit(aJob().withPriority(priority).build());

    Lane lane = new LanePolicy().realtimeLaneFor(priority);
    assertThat(tasks("openai", lane).readValue().lane()).isEqualTo(lane);
  }

  @Test
  void shouldQueueADeferredJobOnTheDeferredLane() {
    start();

    submit(aJob().withPriority(Priority.INTERACTIVE).withMode(Mode.DEFERRED).build());

    assertThat(tasks("openai", Lane.DEFERRED).readValue().lane()).isEqualTo(Lane.DEFERRED);
    assertThat(tasks("openai", Lane.INTERACTIVE).isEmpty()).isTrue();
  }

  @Test
  void shouldFailAJobWhoseModelIsUnknownAndKeepGoing() {
    start();

    submit(aJob().withId("lost").withModel("gpt-9").build());
    submit(aJob().withId("fine").build());

    TestRecord<String, JobEvent> failed = events().readRecord();
    assertThat(failed.key()).isEqualTo("lost");
    assertThat(failed.value().status()).isEqualTo(JobStatus.FAILED);
    assertThat(failed.value().error().code()).isEqualTo("unknown_model");
    assertThat(failed.value().error().message()).contains("gpt-9");
    assertThat(tasks("openai", Lane.STANDARD).readKeyValue().key).isEqualTo("fine.c");
  }

  @Test
  void shouldQueueADuplicateSubmissionOnlyOnce() {
    start();
    SubmittedJob job = aJob().withId("twice").build();

    submit(job);
    submit(job);

    assertThat(tasks("openai", Lane.STANDARD).readValuesToList())
        .extracting(Task::taskId)
        .containsExactly("twice.c");
  }

  @Test
  void shouldStillDropADuplicateSubmissionWithinTheRetention() {
    var clock = new ManualClock(NOW);
    start(Duration.ofHours(1), clock);
    SubmittedJob job = aJob().withId("again").build();
    submit(job);

    clock.advance(Duration.ofMinutes(59));
    driver.advanceWallClockTime(Duration.ofMinutes(1));
    submit(job);

    assertThat(tasks("openai", Lane.STANDARD).readValuesToList()).hasSize(1);
  }

  @Test
  void shouldForgetADispatchedJobAfterTheRetention() {
    var clock = new ManualClock(NOW);
    start(Duration.ofHours(1), clock);
    SubmittedJob job = aJob().withId("forgotten").build();
    submit(job);

    clock.advance(Duration.ofHours(1));
    driver.advanceWallClockTime(Duration.ofMinutes(1));

    assertThat(storeSize(DispatcherTopology.DISPATCHED_JOBS_STORE)).isZero();
    submit(job);
    assertThat(tasks("openai", Lane.STANDARD).readValuesToList()).hasSize(2);
  }

  @Test
  void shouldForgetAFinishedJobAfterTheRetentionButKeepARunningOne() {
    var clock = new ManualClock(NOW);
    start(Duration.ofHours(1), clock);
    SubmittedJob done = aJob().withId("done").build();
    SubmittedJob running = aJob().withId("running").build();
    report(aSuccessFor(done));
    report(aStartFor(running));

    clock.advance(Duration.ofMinutes(59));
    driver.advanceWallClockTime(Duration.ofMinutes(1));
    report(aSuccessFor(done));
    assertThat(storeSize(DispatcherTopology.JOB_PROGRESS_STORE)).isEqualTo(2);

    clock.advance(Duration.ofMinutes(1));
    driver.advanceWallClockTime(Duration.ofMinutes(1));
    assertThat(storeSize(DispatcherTopology.JOB_PROGRESS_STORE)).isEqualTo(1);
    report(aSuccessFor(running));
    assertThat(events().readValuesToList())
        .extracting(JobEvent::eventId)
        .containsExactly("done.succeeded", "running.running", "running.succeeded");
  }

  @Test
  void shouldTurnASuccessfulResultIntoASucceededEvent() {
    start();
    TaskResult result = aSuccessFor(aJob().withId("ok").build());

    report(result);

    TestRecord<String, JobEvent> event = events().readRecord();
    assertThat(event.key()).isEqualTo("ok");
    assertThat(event.value().eventId()).isEqualTo("ok.succeeded");
    assertThat(event.value().status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(event.value().output()).isEqualTo("cba");
    assertThat(event.value().usage()).isEqualTo(result.usage());
    assertThat(event.value().costUsd()).isEqualByComparingTo(result.costUsd());
    assertThat(event.value().attempts()).isEqualTo(2);
    assertThat(event.value().startedAt()).isEqualTo(result.startedAt());
  }

  @Test
  void shouldPublishRunningOnceWhenTheTaskStartsThenTheEnd() {
    start();
    SubmittedJob job = aJob().withId("runs").build();

    report(aStartFor(job));
    report(aStartFor(job));
    report(aSuccessFor(job));
    report(aStartFor(job));

    List<TestRecord<String, JobEvent>> events = events().readRecordsToList();
    assertThat(events).extracting(TestRecord::key).containsOnly("runs");
    assertThat(events)
        .extracting(r -> r.value().eventId())
        .containsExactly("runs.running", "runs.succeeded");
    assertThat(events.getFirst().value().status()).isEqualTo(JobStatus.RUNNING);
    assertThat(events.getFirst().value().startedAt()).isEqualTo(aStartFor(job).startedAt());
  }

  @Test
  void shouldTurnAFailedResultIntoAFailedEvent() {
    start();

    report(aFailureFor(aJob().withId("bad").build()));

    JobEvent event = events().readValue();
    assertThat(event.eventId()).isEqualTo("bad.failed");
    assertThat(event.status()).isEqualTo(JobStatus.FAILED);
    assertThat(event.error().code()).isEqualTo("provider_rejected");
  }

  @Test
  void shouldPublishOneTerminalEventForRepeatedResults() {
    start();
    SubmittedJob job = aJob().withId("once").build();

    report(aSuccessFor(job));
    report(aSuccessFor(job));
    report(aFailureFor(job));
    report(aFailureFor(job));

    assertThat(events().readValuesToList())
        .extracting(JobEvent::eventId, JobEvent::status)
        .containsExactly(
            tuple("once.succeeded", JobStatus.SUCCEEDED),
            tuple("once.cost.2", JobStatus.SUCCEEDED));
  }

  @Test
  void shouldDeadLetterAResultOfAnUnknownTask() {
    start();
    TaskResult result = aSuccessFor(aJob().withId("j9").build());
    TaskResult stray =
        new TaskResult(
            result.schemaVersion(),
            "x.c",
            "j9",
            result.tenantId(),
            result.outcome(),
            result.output(),
            result.usage(),
            result.provider(),
            result.model(),
            result.costUsd(),
            null,
            result.attempts(),
            result.startedAt(),
            result.finishedAt());

    report(stray);

    assertThat(events().isEmpty()).isTrue();
    DeadLetter letter = deadLetters().readValue();
    assertThat(letter.sourceTopic()).isEqualTo("t.task-results");
    assertThat(letter.reason()).contains("x.c", "j9");
  }

  @Test
  void shouldQueueAnAutoJobWithAFarDeadlineOnTheDeferredLaneAndANearOneOnItsRealtimeLane() {
    start();

    submit(
        aJob()
            .withId("far")
            .withMode(Mode.AUTO)
            .withDeadline(NOW.plus(Duration.ofHours(30)))
            .build());
    submit(
        aJob()
            .withId("near")
            .withMode(Mode.AUTO)
            .withPriority(Priority.INTERACTIVE)
            .withDeadline(NOW.plus(Duration.ofHours(2)))
            .build());
    submit(aJob().withId("none").withMode(Mode.AUTO).build());

    assertThat(tasks("openai", Lane.DEFERRED).readValuesToList())
        .extracting(Task::jobId)
        .containsExactly("far", "none");
    assertThat(tasks("openai", Lane.INTERACTIVE).readValuesToList())
        .extracting(Task::jobId)
        .containsExactly("near");
  }

  @Test
  void shouldWaitForABatchOnlyWhenTheDeadlineLeavesTheConfiguredWindow() {
    start(CLOCK, settings -> settings.batchWindow(Duration.ofHours(2)).batchMargin(Duration.ZERO));

    submit(
        aJob()
            .withId("fits")
            .withMode(Mode.AUTO)
            .withDeadline(NOW.plus(Duration.ofHours(2)))
            .build());
    submit(
        aJob()
            .withId("tight")
            .withMode(Mode.AUTO)
            .withDeadline(NOW.plus(Duration.ofMinutes(119)))
            .build());

    assertThat(tasks("openai", Lane.DEFERRED).readValue().jobId()).isEqualTo("fits");
    assertThat(tasks("openai", Lane.STANDARD).readValue().jobId()).isEqualTo("tight");
  }

  @Test
  void shouldPublishEachPlacementOnceAndNothingOfItAfterTheEnd() {
    start();
    SubmittedJob job = aJob().withId("moves").withMode(Mode.DEFERRED).build();
    TaskResult pending = aPlacementFor(job, Placement.Stage.PENDING, 1, null);
    TaskResult inBatch = aPlacementFor(job, Placement.Stage.IN_PROVIDER_BATCH, 1, "batch_1");

    report(pending);
    report(inBatch);
    report(pending);
    report(inBatch);
    report(aBatchSuccessFor(job, "batch_1", NOW.plusSeconds(90)));
    report(aPlacementFor(job, Placement.Stage.RESUBMITTED, 2, null));

    List<JobEvent> events = events().readValuesToList();
    assertThat(events)
        .extracting(JobEvent::eventId, JobEvent::status)
        .containsExactly(
            tuple("moves.placed.pending.1", JobStatus.QUEUED),
            tuple("moves.placed.in_provider_batch.1.batch_1", JobStatus.RUNNING),
            tuple("moves.succeeded", JobStatus.SUCCEEDED));
    assertThat(events.get(1).placement()).isEqualTo(inBatch.placement());
    assertThat(events.get(2).placement().providerBatchId()).isEqualTo("batch_1");
    assertThat(events.get(2).realtimeCostUsd()).isEqualByComparingTo("0.0000036");
  }

  @Test
  void shouldExpireAJobWhoseDeadlinePassesWithoutAResultAndThenRecordOnlyTheCostOfALateOne() {
    var clock = new ManualClock(NOW);
    start(clock, settings -> settings);
    SubmittedJob job = aJob().withId("late").withDeadline(NOW.plus(Duration.ofMinutes(10))).build();
    submit(job);

    clock.advance(Duration.ofMinutes(9));
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    assertThat(events().isEmpty()).isTrue();
    assertThat(storeSize(DispatcherTopology.JOB_DEADLINES_STORE)).isEqualTo(1);

    clock.advance(Duration.ofMinutes(1));
    driver.advanceWallClockTime(Duration.ofSeconds(1));
    JobEvent expired = events().readValue();
    assertThat(expired.eventId()).isEqualTo("late.expired");
    assertThat(expired.status()).isEqualTo(JobStatus.EXPIRED);
    assertThat(expired.tenantId()).isEqualTo("tenant-a");
    assertThat(expired.error().code()).isEqualTo("deadline_exceeded");
    assertThat(expired.error().message()).doesNotContain("abc");
    assertThat(expired.occurredAt()).isEqualTo(job.deadline());
    assertThat(storeSize(DispatcherTopology.JOB_DEADLINES_STORE)).isZero();

    report(aStartFor(job));
    report(aSuccessFor(job));
    report(aSuccessFor(job));
    clock.advance(Duration.ofMinutes(1));
    driver.advanceWallClockTime(Duration.ofSeconds(1));

    List<JobEvent> after = events().readValuesToList();
    assertThat(after)
        .extracting(JobEvent::eventId, JobEvent::status)
        .containsExactly(tuple("late.cost.1", JobStatus.EXPIRED));
    assertThat(after.getFirst().costUsd()).isEqualByComparingTo("0.0000036");
    assertThat(after.getFirst().output()).isNull();
  }

  @Test
  void shouldNotExpireAJobThatEndedBeforeItsDeadlineAndForgetItsDeadlineAtTheEnd() {
    var clock = new ManualClock(NOW);
    start(clock, settings -> settings);
    SubmittedJob job =
        aJob().withId("early").withDeadline(NOW.plus(Duration.ofMinutes(10))).build();
    submit(job);
    assertThat(storeSize(DispatcherTopology.JOB_DEADLINES_STORE)).isEqualTo(1);

    report(aSuccessFor(job));
    assertThat(storeSize(DispatcherTopology.JOB_DEADLINES_STORE)).isZero();
    clock.advance(Duration.ofMinutes(11));
    driver.advanceWallClockTime(Duration.ofSeconds(1));

    assertThat(events().readValuesToList())
        .extracting(JobEvent::eventId)
        .containsExactly("early.succeeded");
  }

  @Test
  void shouldExpireJobsInDeadlineOrderEachOnce() {
    var clock = new ManualClock(NOW);
    start(clock, settings -> settings.expiryCheckInterval(Duration.ofMillis(100)));
    submit(aJob().withId("second").withDeadline(NOW.plusSeconds(20)).build());
    submit(aJob().withId("first").withDeadline(NOW.plusSeconds(10)).build());
    submit(aJob().withId("later").withDeadline(NOW.plusSeconds(3600)).build());

    clock.advance(Duration.ofSeconds(30));
    driver.advanceWallClockTime(Duration.ofMillis(100));
    driver.advanceWallClockTime(Duration.ofMillis(100));

    assertThat(events().readValuesToList())
        .extracting(JobEvent::eventId)
        .containsExactly("first.expired", "second.expired");
    assertThat(storeSize(DispatcherTopology.JOB_DEADLINES_STORE)).isEqualTo(1);
  }

  @Test
  void shouldAddTheCostOfALateSecondTerminalResultOnce() {
    start();
    SubmittedJob job = aJob().withId("both").withMode(Mode.DEFERRED).build();
    TaskResult batchLine = aBatchSuccessFor(job, "batch_7", NOW.plusSeconds(7200));
    report(aPlacementFor(job, Placement.Stage.IN_PROVIDER_BATCH, 1, "batch_7"));
    report(aPlacementFor(job, Placement.Stage.REALTIME_FALLBACK, 1, null));
    report(aSuccessFor(job));

    report(batchLine);
    report(batchLine);

    List<JobEvent> events = events().readValuesToList();
    assertThat(events)
        .extracting(JobEvent::eventId)
        .containsExactly(
            "both.placed.in_provider_batch.1.batch_7",
            "both.placed.realtime_fallback.1",
            "both.succeeded",
            "both.cost.2");
    JobEvent cost = events.getLast();
    assertThat(cost.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(cost.costUsd()).isEqualByComparingTo("0.0000054");
    assertThat(cost.usage()).isEqualTo(new TokenUsage(24, 6));
    assertThat(cost.attempts()).isEqualTo(3);
  }

  @Test
  void shouldProvisionEveryLaneOfEveryProvider() {
    assertThat(DispatcherTopology.topicNames(TOPICS, MODELS))
        .contains("t.jobs.submitted", "t.task-results", "t.jobs.events", "t.dead-letters")
        .contains(
            "t.tasks.anthropic.interactive",
            "t.tasks.anthropic.standard",
            "t.tasks.anthropic.bulk",
            "t.tasks.anthropic.deferred",
            "t.tasks.openai.interactive",
            "t.tasks.openai.standard",
            "t.tasks.openai.bulk",
            "t.tasks.openai.deferred",
            "t.tasks.gemini.bulk")
        .hasSize(16);
  }

  @Test
  void shouldDeadLetterASubmissionThatIsNotJsonAndKeepGoing() {
    start();

    submitRaw("broken", "{not json");
    submit(aJob().withId("after").build());

    DeadLetter letter = deadLetters().readValue();
    assertThat(letter.sourceTopic()).isEqualTo("t.jobs.submitted");
    assertThat(letter.key()).isEqualTo("broken");
    assertThat(letter.payload()).isEqualTo("{not json");
    assertThat(letter.reason()).contains("SubmittedJob");
    assertThat(letter.occurredAt()).isEqualTo(NOW);
    assertThat(tasks("openai", Lane.STANDARD).readValue().jobId()).isEqualTo("after");
  }

  @Test
  void shouldDeadLetterASubmissionOfAnUnknownSchemaVersion() {
    start();
    String future =
        JsonSerde.of(SubmittedJob.class)
            .toJson(aJob().withId("v2").build())
            .replace("\"schema_version\":1", "\"schema_version\":2");

    submitRaw("v2", future);

    DeadLetter letter = deadLetters().readValue();
    assertThat(letter.reason()).contains("schema_version 2");
    assertThat(letter.payload()).isEqualTo(future);
    assertThat(tasks("openai", Lane.STANDARD).isEmpty()).isTrue();
  }

  @Test
  void shouldDeadLetterATaskResultThatCannotBeRead() {
    start();

    driver
        .createInputTopic(
            TOPICS.taskResults().name(), new StringSerializer(), new StringSerializer())
        .pipeInput("j1", "[]");

    assertThat(deadLetters().readValue().sourceTopic()).isEqualTo("t.task-results");
    assertThat(events().isEmpty()).isTrue();
  }

  @Test
  void shouldDeadLetterAJobWhoseProcessingFailsAndKeepGoing() {
    ToLongFunction<CompletionSpec> estimator =
        request -> {
          if (request.messages().getFirst().content().contains("explode")) {
            throw new IllegalStateException("estimator failed");
          }
          return 1;
        };
    start(estimator);

    submit(aJob().withId("boom").withMessages(List.of(ChatMessage.user("explode"))).build());
    submit(aJob().withId("calm").build());

    DeadLetter letter = deadLetters().readValue();
    assertThat(letter.key()).isEqualTo("boom");
    assertThat(letter.reason()).contains("estimator failed");
    assertThat(tasks("openai", Lane.STANDARD).readValuesToList())
        .extracting(Task::jobId)
        .containsExactly("calm");
  }

  private void start() {
    start(TokenEstimator::inputTokens);
  }

  private void start(ToLongFunction<CompletionSpec> estimator) {
    start(estimator, DispatcherSettings.DEFAULT_DEDUP_RETENTION, CLOCK);
  }

  private void start(Duration retention, Clock clock) {
    start(TokenEstimator::inputTokens, retention, clock);
  }

  private void start(Clock clock, UnaryOperator<DispatcherSettings.Builder> custom) {
    start(TokenEstimator::inputTokens, DispatcherSettings.DEFAULT_DEDUP_RETENTION, clock, custom);
  }

  private void start(ToLongFunction<CompletionSpec> estimator, Duration retention, Clock clock) {
    start(estimator, retention, clock, settings -> settings);
  }

  private void start(
      ToLongFunction<CompletionSpec> estimator,
      Duration retention,
      Clock clock,
      UnaryOperator<DispatcherSettings.Builder> custom) {
    var settings =
        custom
            .apply(
                DispatcherSettings.builder("unused:9092", stateDir)
                    .topicPrefix(TOPICS.prefix())
                    .models(MODELS)
                    .dedupRetention(retention))
            .build();
    var topology = new DispatcherTopology(settings, estimator, clock).build();
    driver = new TopologyTestDriver(topology, StreamsProperties.of(settings, clock));
  }

  private long storeSize(String store) {
    return driver.getKeyValueStore(store).approximateNumEntries();
  }

  private void submit(SubmittedJob job) {
    input(TOPICS.jobsSubmitted()).pipeInput(job.jobId(), job);
  }

  private void submitRaw(String key, String json) {
    driver
        .createInputTopic(
            TOPICS.jobsSubmitted().name(), new StringSerializer(), new StringSerializer())
        .pipeInput(key, json);
  }

  private void report(TaskResult result) {
    input(TOPICS.taskResults()).pipeInput(result.jobId(), result);
  }

  private TestOutputTopic<String, Task> tasks(String provider, Lane lane) {
    return output(TOPICS.tasks(provider, lane));
  }

  private TestOutputTopic<String, JobEvent> events() {
    return output(TOPICS.jobsEvents());
  }

  private TestOutputTopic<String, DeadLetter> deadLetters() {
    return output(TOPICS.deadLetters());
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
