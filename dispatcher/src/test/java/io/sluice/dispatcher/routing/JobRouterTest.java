package io.sluice.dispatcher.routing;

import static io.sluice.dispatcher.JobFixtures.CLOCK;
import static io.sluice.dispatcher.JobFixtures.MODELS;
import static io.sluice.dispatcher.JobFixtures.NOW;
import static io.sluice.dispatcher.JobFixtures.aJob;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.lane.LanePolicy;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.JobType;
import io.sluice.schemas.job.Mode;
import io.sluice.schemas.job.Priority;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.tokens.TokenEstimator;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class JobRouterTest {
  private final JobRouter router = new JobRouter(MODELS, new LanePolicy(), request -> 42, CLOCK);

  @Test
  void shouldQueueACompletionJobAsOneTaskForTheModelsProvider() {
    SubmittedJob job = aJob().withId("j1").withModel("claude-haiku-4-5").build();

    Task task = onlyTask(router.route(job));

    assertThat(task.taskId()).isEqualTo(Task.completionTaskId("j1"));
    assertThat(task.jobId()).isEqualTo("j1");
    assertThat(task.tenantId()).isEqualTo("tenant-a");
    assertThat(task.provider()).isEqualTo("anthropic");
    assertThat(task.request().model()).isEqualTo("claude-haiku-4-5");
    assertThat(task.request().messages()).isEqualTo(job.completion().messages());
    assertThat(task.request().maxTokens()).isEqualTo(64);
    assertThat(task.createdAt()).isEqualTo(NOW);
  }

  @Test
  void shouldSendAnAliasToItsProviderUnderTheProvidersModelName() {
    Task task = onlyTask(router.route(aJob().withModel("fast").build()));

    assertThat(task.provider()).isEqualTo("openai");
    assertThat(task.request().model()).isEqualTo("gpt-4o-mini");
  }

  @Test
  void shouldCarryTheEstimateAndTheDeadline() {
    Instant deadline = NOW.plusSeconds(3600);

    Task task = onlyTask(router.route(aJob().withDeadline(deadline).build()));

    assertThat(task.estimatedInputTokens()).isEqualTo(42);
    assertThat(task.deadline()).isEqualTo(deadline);
  }

  @Test
  void shouldEstimateInputTokensWithTheOneEstimatorOfTheProvidersModel() {
    var production = new JobRouter(MODELS, new LanePolicy(), CLOCK);

    Task task = onlyTask(production.route(aJob().withModel("fast").build()));

    assertThat(task.estimatedInputTokens())
        .isEqualTo(TokenEstimator.forModel("gpt-4o-mini").countRequest(task.request()))
        .isPositive();
  }

  @Test
  void shouldQueueOnTheLaneOfPriorityAndMode() {
    var bulk = aJob().withPriority(Priority.BULK).build();
    var deferred = aJob().withPriority(Priority.INTERACTIVE).withMode(Mode.DEFERRED).build();

    assertThat(onlyTask(router.route(bulk)).lane()).isEqualTo(Lane.BULK);
    assertThat(onlyTask(router.route(deferred)).lane()).isEqualTo(Lane.DEFERRED);
  }

  @Test
  void shouldRunDeferredWorkOfAProviderWithoutABatchApiOnItsBulkLane() {
    var batchless =
        new JobRouter(
            MODELS, new LanePolicy(), request -> 42, Set.of("openai", "anthropic"), CLOCK);
    var gemini = aJob().withModel("gemini-2.5-flash").withMode(Mode.DEFERRED).build();
    var openAi = aJob().withModel("gpt-4o-mini").withMode(Mode.DEFERRED).build();

    assertThat(onlyTask(batchless.route(gemini)).lane()).isEqualTo(Lane.BULK);
    assertThat(onlyTask(batchless.route(gemini)).provider()).isEqualTo("gemini");
    assertThat(onlyTask(batchless.route(openAi)).lane()).isEqualTo(Lane.DEFERRED);
  }

  @Test
  void shouldFailAJobWhoseModelIsNotInTheCatalogue() {
    JobEvent failed = rejection(router.route(aJob().withId("j2").withModel("gpt-9").build()));

    assertThat(failed.status()).isEqualTo(JobStatus.FAILED);
    assertThat(failed.eventId()).isEqualTo("j2.failed");
    assertThat(failed.jobId()).isEqualTo("j2");
    assertThat(failed.tenantId()).isEqualTo("tenant-a");
    assertThat(failed.error().code()).isEqualTo(JobRouter.UNKNOWN_MODEL);
    assertThat(failed.error().message()).contains("'gpt-9'");
    assertThat(failed.error().retriable()).isFalse();
    assertThat(failed.occurredAt()).isEqualTo(NOW);
  }

  @Test
  void shouldFailAMapReduceRecordWithoutItsHeaderAndChunk() {
    JobEvent failed = rejection(router.route(aJob().withType(JobType.MAP_REDUCE).build()));

    assertThat(failed.error().code()).isEqualTo(JobRouter.INVALID_JOB);
  }

  @Test
  void shouldRouteAChunkToAMapTaskAndRegisterItsJob() {
    var spec =
        new io.sluice.schemas.job.MapReduceSpec(
            new io.sluice.schemas.job.MapReduceSpec.Phase("fast", "count", 10, null, null),
            new io.sluice.schemas.job.MapReduceSpec.Phase("cheap", "sum", 20, null, null),
            5,
            null,
            100,
            1,
            8);
    var chunk =
        io.sluice.schemas.job.SubmittedJob.mapReduce("j9", "tenant-a", null, null, spec, NOW, null)
            .withChunk(new io.sluice.schemas.job.DocumentChunk(3, "some text"));

    var decision = (RoutingDecision.Dispatch) router.route(chunk);

    Task task = onlyTask(decision);
    assertThat(task.taskId()).isEqualTo("j9.m3");
    assertThat(task.request().model()).isEqualTo("gpt-4o-mini");
    assertThat(task.request().messages())
        .extracting(m -> m.content())
        .containsExactly("count", "some text");
    assertThat(task.request().maxTokens()).isEqualTo(10);
    assertThat(decision.mapReduce().reduceProvider()).isEqualTo("anthropic");
    assertThat(decision.mapReduce().reduceModel()).isEqualTo("claude-haiku-4-5");
    assertThat(decision.mapReduce().lane()).isEqualTo(task.lane());
  }

  @Test
  void shouldFailACompletionJobWithoutMessages() {
    assertThat(rejection(router.route(aJob().withMessages(null).build())).error().code())
        .isEqualTo(JobRouter.INVALID_JOB);
    assertThat(rejection(router.route(aJob().withMessages(List.of()).build())).error().code())
        .isEqualTo(JobRouter.INVALID_JOB);
  }

  private static Task onlyTask(RoutingDecision decision) {
    assertThat(decision).isInstanceOf(RoutingDecision.Dispatch.class);
    List<Task> tasks = ((RoutingDecision.Dispatch) decision).tasks();
    assertThat(tasks).hasSize(1);
    return tasks.getFirst();
  }

  private static JobEvent rejection(RoutingDecision decision) {
    assertThat(decision).isInstanceOf(RoutingDecision.Reject.class);
    return ((RoutingDecision.Reject) decision).failed();
  }
}
