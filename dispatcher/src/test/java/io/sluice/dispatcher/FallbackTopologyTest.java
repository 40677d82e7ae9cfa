package io.sluice.dispatcher;

import static io.sluice.dispatcher.JobFixtures.CLOCK;
import static io.sluice.dispatcher.JobFixtures.NOW;
import static io.sluice.dispatcher.JobFixtures.aJob;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.sluice.dispatcher.internal.StreamsProperties;
import io.sluice.fallback.FallbackChains;
import io.sluice.schemas.Versioned;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.FailureScope;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.Mode;
import io.sluice.schemas.job.ProviderAttempt;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.model.ModelCatalog;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.task.TaskResult;
import io.sluice.schemas.topic.Topic;
import io.sluice.schemas.topic.TopicCatalog;
import io.sluice.tokens.TokenEstimator;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fallback chains on the production topology: a job's task moves along its chain when the current
 * entry fails in a way that lets it fall back, and its terminal event lists every entry tried.
 */
class FallbackTopologyTest {
  private static final TopicCatalog TOPICS = new TopicCatalog("t");
  private static final ModelCatalog MODELS = ModelCatalog.defaults();

  @TempDir Path stateDir;
  private TopologyTestDriver driver;

  @BeforeEach
  void start() {
    var settings =
        DispatcherSettings.builder("unused:9092", stateDir)
            .topicPrefix(TOPICS.prefix())
            .models(MODELS)
            .fallback(
                FallbackChains.parse("gpt-4o-mini=claude-haiku-4-5,gemini-2.0-flash", MODELS),
                Map.of())
            .build();
    var topology = new DispatcherTopology(settings, TokenEstimator::inputTokens, CLOCK).build();
    driver = new TopologyTestDriver(topology, StreamsProperties.of(settings, CLOCK));
  }

  @AfterEach
  void closeDriver() {
    driver.close();
  }

  @Test
  void shouldMoveTheTaskToTheNextEntryAfterAProviderFailureAndListEveryEntryTried() {
    SubmittedJob job = aJob().withId("fb").build();
    submit(job);
    Task first = tasks("openai", Lane.STANDARD).readValue();
    assertThat(first.fallbackAvailable()).isTrue();

    report(failure(first, FailureScope.PROVIDER, 3));

    assertThat(events().isEmpty()).as("no event while the job falls back").isTrue();
    Task second = tasks("anthropic", Lane.STANDARD).readValue();
    assertThat(second.taskId()).isEqualTo(first.taskId());
    assertThat(second.request().model()).isEqualTo("claude-haiku-4-5");
    assertThat(second.request().messages()).isEqualTo(first.request().messages());
    assertThat(second.fallbackAvailable()).isTrue();

    report(success(second, new BigDecimal("0.00002")));

    JobEvent done = events().readValue();
    assertThat(done.status()).isEqualTo(JobStatus.SUCCEEDED);
    assertThat(done.provider()).isEqualTo("anthropic");
    assertThat(done.model()).isEqualTo("claude-haiku-4-5");
    assertThat(done.attempts()).isEqualTo(4);
    assertThat(done.costUsd()).isEqualByComparingTo("0.00002");
    assertThat(done.providerAttempts())
        .extracting(ProviderAttempt::provider, ProviderAttempt::outcome, ProviderAttempt::calls)
        .containsExactly(tuple("openai", "failed", 3), tuple("anthropic", "succeeded", 1));
    assertThat(done.providerAttempts().getFirst().error().code()).isEqualTo("server_error");
  }

  @Test
  void shouldFailTheJobOnARequestErrorWithoutTryingTheNextEntry() {
    SubmittedJob job = aJob().withId("bad").build();
    submit(job);
    Task first = tasks("openai", Lane.STANDARD).readValue();

    report(failure(first, FailureScope.REQUEST, 1));

    JobEvent failed = events().readValue();
    assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
    assertThat(failed.providerAttempts())
        .extracting(ProviderAttempt::provider)
        .containsExactly("openai");
    assertThat(tasks("anthropic", Lane.STANDARD).isEmpty()).isTrue();
  }

  @Test
  void shouldFailTheJobWhenTheLastEntryFailsToo() {
    submit(aJob().withId("all").build());
    report(failure(tasks("openai", Lane.STANDARD).readValue(), FailureScope.PROVIDER, 3));
    report(failure(tasks("anthropic", Lane.STANDARD).readValue(), FailureScope.PROVIDER, 3));
    Task last = tasks("gemini", Lane.STANDARD).readValue();
    assertThat(last.fallbackAvailable()).isFalse();

    report(failure(last, FailureScope.PROVIDER, 3));

    JobEvent failed = events().readValue();
    assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
    assertThat(failed.provider()).isEqualTo("gemini");
    assertThat(failed.attempts()).isEqualTo(9);
    assertThat(failed.providerAttempts()).hasSize(3);
  }

  @Test
  void shouldNotFallBackForAJobThatSaidFallbackFalse() {
    submit(aJob().withId("none").withFallback(List.of()).build());
    Task only = tasks("openai", Lane.STANDARD).readValue();
    assertThat(only.fallbackAvailable()).isFalse();

    report(failure(only, FailureScope.PROVIDER, 3));

    JobEvent failed = events().readValue();
    assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
    assertThat(failed.providerAttempts()).isNull();
    assertThat(tasks("anthropic", Lane.STANDARD).isEmpty()).isTrue();
  }

  @Test
  void shouldFollowTheJobsOwnChainAndDropARedeliveredFailureOfAnEarlierEntry() {
    submit(
        aJob().withId("own").withModel("claude-haiku-4-5").withFallback(List.of("gpt-4o")).build());
    Task first = tasks("anthropic", Lane.STANDARD).readValue();
    TaskResult failedFirst = failure(first, FailureScope.MODEL, 1);
    report(failedFirst);
    Task second = tasks("openai", Lane.STANDARD).readValue();
    assertThat(second.request().model()).isEqualTo("gpt-4o");

    report(failure(first, FailureScope.MODEL, 2)); // the first entry's call repeated after a crash

    assertThat(events().isEmpty()).isTrue();
    assertThat(tasks("openai", Lane.STANDARD).isEmpty()).isTrue();
    report(success(second, new BigDecimal("0.001")));
    assertThat(events().readValue().status()).isEqualTo(JobStatus.SUCCEEDED);
  }

  @Test
  void shouldSendADeferredTasksFallbackToARealtimeLane() {
    submit(aJob().withId("deferred").withMode(Mode.DEFERRED).build());
    Task first = tasks("openai", Lane.DEFERRED).readValue();

    report(failure(first, FailureScope.PROVIDER, 1));

    assertThat(tasks("anthropic", Lane.STANDARD).readValue().lane()).isEqualTo(Lane.STANDARD);
  }

  @Test
  void shouldHoldAFailureThatOvertookItsJobsChainAndFallBackOnceTheChainArrives() {
    // The worker's failure is read before the job's registration (another partition): the task
    // said a fallback entry follows, so completion holds the failure instead of ending the job.
    SubmittedJob job = aJob().withId("race").build();
    Task sent =
        new Task(
            Versioned.CURRENT,
            Task.completionTaskId(job.jobId()),
            job.jobId(),
            job.tenantId(),
            "openai",
            Lane.STANDARD,
            job.completion().withModel("gpt-4o-mini"),
            10,
            NOW,
            null,
            true);
    report(failure(sent, FailureScope.PROVIDER, 1));
    assertThat(events().isEmpty()).as("no failed event before the chain is known").isTrue();

    submit(job);

    assertThat(tasks("openai", Lane.STANDARD).readValue().taskId()).isEqualTo(sent.taskId());
    Task next = tasks("anthropic", Lane.STANDARD).readValue();
    assertThat(next.taskId()).isEqualTo(sent.taskId());
    assertThat(next.request().model()).isEqualTo("claude-haiku-4-5");
    assertThat(events().isEmpty()).as("the job moved on rather than ending").isTrue();
    report(success(next, new BigDecimal("0.00002")));
    assertThat(events().readValue().status()).isEqualTo(JobStatus.SUCCEEDED);
  }

  @Test
  void shouldEndAJobWithoutAChainOnItsFailureAtOnce() {
    SubmittedJob job = aJob().withId("plain").withModel("gpt-4o").build();
    submit(job);
    Task only = tasks("openai", Lane.STANDARD).readValue();
    assertThat(only.fallbackAvailable()).isFalse();

    report(failure(only, FailureScope.PROVIDER, 3));

    assertThat(events().readValue().status()).isEqualTo(JobStatus.FAILED);
  }

  private static TaskResult failure(Task task, FailureScope scope, int calls) {
    String code = scope == FailureScope.REQUEST ? "invalid_request_error" : "server_error";
    return TaskResult.failed(
        task,
        ErrorInfo.permanent(code, "failed").withScope(scope),
        calls,
        NOW.plusSeconds(1),
        NOW.plusSeconds(2 + calls));
  }

  private static TaskResult success(Task task, BigDecimal cost) {
    return new TaskResult(
        Versioned.CURRENT,
        task.taskId(),
        task.jobId(),
        task.tenantId(),
        TaskOutcome.SUCCEEDED,
        "cba",
        new TokenUsage(12, 3),
        task.provider(),
        task.request().model(),
        cost,
        null,
        1,
        NOW.plusSeconds(20),
        NOW.plusSeconds(21));
  }

  private void submit(SubmittedJob job) {
    input(TOPICS.jobsSubmitted()).pipeInput(job.jobId(), job);
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

  private <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
    return driver.createInputTopic(
        topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
  }

  private <V> TestOutputTopic<String, V> output(Topic<String, V> topic) {
    return driver.createOutputTopic(
        topic.name(), Serdes.String().deserializer(), topic.valueSerde().deserializer());
  }
}
