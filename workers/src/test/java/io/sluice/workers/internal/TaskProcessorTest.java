package io.sluice.workers.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.sluice.lane.DeadlinePolicy;
import io.sluice.providers.CompletionResponse;
import io.sluice.providers.Provider;
import io.sluice.providers.ProviderException;
import io.sluice.providers.RateLimitSnapshot;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.FailureScope;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.JsonSerde;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
import io.sluice.schemas.task.TaskOutcome;
import io.sluice.schemas.task.TaskResult;
import io.sluice.schemas.topic.DeadLetter;
import io.sluice.testing.ManualClock;
import io.sluice.workers.Admission;
import io.sluice.workers.RetryPolicy;
import io.sluice.workers.Tasks;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.kafka.common.KafkaException;
import org.junit.jupiter.api.Test;

class TaskProcessorTest {
  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private static final JsonSerde<Task> TASKS = JsonSerde.of(Task.class);

  private final ScriptedProvider provider = new ScriptedProvider();
  private final RecordingSink sink = new RecordingSink();
  private final List<Duration> sleeps = new ArrayList<>();
  private final Counters counters = new Counters();
  private final ManualClock clock = new ManualClock(NOW);
  private final Task task = Tasks.aTask("openai", Lane.STANDARD, "reverse: abc");

  private TaskProcessor processor(TaskProcessor.Sleeper sleeper) {
    return processor(sleeper, Admission.OPEN);
  }

  private TaskProcessor processor(TaskProcessor.Sleeper sleeper, Admission gate) {
    return new TaskProcessor(
        provider,
        new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.0),
        CircuitBreaker.ofDefaults("test"),
        sink,
        (p, model, usage) -> new BigDecimal("0.0015"),
        clock,
        5,
        sleeper,
        () -> 0.5,
        counters,
        gate,
        DeadlinePolicy.DEFAULT);
  }

  private TaskProcessor processor() {
    return processor(sleeps::add);
  }

  private static Delivery deliveryOf(Task task, int deliveryCount) {
    return Delivery.read(
        "t.tasks.openai.standard", task.taskId(), TASKS.toBytes(task), deliveryCount, null);
  }

  /** Slots always free; each call answered by the next of these decisions. */
  private static Admission callsAdmittedBy(Deque<Admission.Decision> decisions) {
    return new Admission() {
      @Override
      public boolean tryAcquire(Lane lane) {
        return true;
      }

      @Override
      public void release(Lane lane) {}

      @Override
      public Decision admit(Task task) {
        return decisions.remove();
      }
    };
  }

  private static ProviderException error(ProviderException.Kind kind, int status, String code) {
    return new ProviderException(
        "openai", kind, status, code, "provider says no", null, null, null);
  }

  @Test
  void shouldPublishTheOutputWithUsageModelAndCostThenAccept() {
    provider.answer(() -> response("cba"));

    TaskProcessor.Verdict verdict = processor().process(deliveryOf(task, 1));

    assertThat(verdict).isEqualTo(TaskProcessor.Verdict.ACCEPT);
    assertThat(sink.results)
        .singleElement()
        .satisfies(
            result -> {
              assertThat(result.taskId()).isEqualTo(task.taskId());
              assertThat(result.jobId()).isEqualTo(task.jobId());
              assertThat(result.outcome()).isEqualTo(TaskOutcome.SUCCEEDED);
              assertThat(result.output()).isEqualTo("cba");
              assertThat(result.usage()).isEqualTo(new TokenUsage(12, 3));
              assertThat(result.model()).isEqualTo("gpt-4o-mini-2024-07-18");
              assertThat(result.costUsd()).isEqualByComparingTo("0.0015");
              assertThat(result.attempts()).isEqualTo(1);
              assertThat(result.finishedAt()).isEqualTo(NOW);
            });
    assertThat(provider.requests).containsExactly(task.request());
    assertThat(sink.starts)
        .singleElement()
        .satisfies(
            start -> {
              assertThat(start.taskId()).isEqualTo(task.taskId());
              assertThat(start.outcome()).isEqualTo(TaskOutcome.STARTED);
              assertThat(start.startedAt()).isEqualTo(NOW);
              assertThat(start.finishedAt()).isNull();
            });
  }

  @Test
  void shouldAnnounceTheStartOnlyOnceTheRateLimiterAdmitsTheCall() {
    Instant later = NOW.plusSeconds(3);
    Deque<Admission.Decision> decisions =
        new ArrayDeque<>(
            List.of(new Admission.Wait(later, "tokens"), new Admission.Go(Admission.Permit.NONE)));
    TaskProcessor processor = processor(sleeps::add, callsAdmittedBy(decisions));
    provider.answer(() -> response("cba"));

    List<String> told = new ArrayList<>();

    TaskProcessor.Outcome first = processor.handle(deliveryOf(task, 1), telling(told, "first"));

    assertThat(first).isEqualTo(new TaskProcessor.Outcome(TaskProcessor.Verdict.DEFER, later));
    assertThat(sink.starts).isEmpty();
    assertThat(provider.requests).isEmpty();
    assertThat(told).as("not admitted").isEmpty();

    TaskProcessor.Outcome second = processor.handle(deliveryOf(task, 1), telling(told, "second"));

    assertThat(second.verdict()).isEqualTo(TaskProcessor.Verdict.ACCEPT);
    assertThat(told).containsExactly("second admitted");
    assertThat(sink.starts).extracting(TaskResult::outcome).containsExactly(TaskOutcome.STARTED);
    assertThat(sink.results).extracting(TaskResult::outcome).containsExactly(TaskOutcome.SUCCEEDED);
  }

  @Test
  void shouldTellWhenARetryOfAStartedTaskWaitsForTheRateLimiterAndWhenItIsAdmitted() {
    Instant later = NOW.plusSeconds(4);
    Deque<Admission.Decision> decisions =
        new ArrayDeque<>(
            List.of(
                new Admission.Go(Admission.Permit.NONE),
                new Admission.Wait(later, "tokens"),
                new Admission.Wait(later, "tokens"),
                new Admission.Go(Admission.Permit.NONE)));
    TaskProcessor processor = processor(sleeps::add, callsAdmittedBy(decisions));
    provider.answer(
        () -> {
          throw error(ProviderException.Kind.RETRIABLE, 429, "rate_limit_exceeded");
        });
    provider.answer(() -> response("cba"));
    List<String> told = new ArrayList<>();

    TaskProcessor.Outcome outcome = processor.handle(deliveryOf(task, 1), telling(told, "task"));

    assertThat(outcome.verdict()).isEqualTo(TaskProcessor.Verdict.ACCEPT);
    assertThat(told)
        .as("started, then its retry waited (twice, told once) and was admitted")
        .containsExactly("task admitted", "task waiting", "task admitted");
    assertThat(decisions).isEmpty();
    assertThat(sink.results).extracting(TaskResult::outcome).containsExactly(TaskOutcome.SUCCEEDED);
  }

  private static TaskProcessor.LimiterWaits telling(List<String> told, String name) {
    return new TaskProcessor.LimiterWaits() {
      @Override
      public void admitted() {
        told.add(name + " admitted");
      }

      @Override
      public void waiting() {
        told.add(name + " waiting");
      }
    };
  }

  @Test
  void shouldRetryRetriableFailuresWithBackoffThenSucceed() {
    provider.answer(
        () -> {
          throw error(ProviderException.Kind.RETRIABLE, 503, "server_error");
        });
    provider.answer(
        () -> {
          throw error(ProviderException.Kind.RETRIABLE, 503, "server_error");
        });
    provider.answer(() -> response("cba"));

    TaskProcessor.Verdict verdict = processor().process(deliveryOf(task, 1));

    assertThat(verdict).isEqualTo(TaskProcessor.Verdict.ACCEPT);
    assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
    assertThat(sink.results)
        .singleElement()
        .satisfies(
            result -> {
              assertThat(result.outcome()).isEqualTo(TaskOutcome.SUCCEEDED);
              assertThat(result.attempts()).isEqualTo(3);
            });
    assertThat(counters.snapshot().retries()).isEqualTo(2);
    assertThat(sink.starts).as("one start for the three attempts").hasSize(1);
  }

  @Test
  void shouldFailAPermanentErrorAtOnceWithTheProvidersError() {
    provider.answer(
        () -> {
          throw error(ProviderException.Kind.PERMANENT, 400, "invalid_request_error");
        });

    TaskProcessor.Verdict verdict = processor().process(deliveryOf(task, 1));

    assertThat(verdict).isEqualTo(TaskProcessor.Verdict.ACCEPT);
    assertThat(provider.requests).hasSize(1);
    assertThat(sleeps).isEmpty();
    assertThat(sink.results)
        .singleElement()
        .satisfies(
            result -> {
              assertThat(result.outcome()).isEqualTo(TaskOutcome.FAILED);
              assertThat(result.error().code()).isEqualTo("invalid_request_error");
              assertThat(result.error().message()).contains("provider says no");
              assertThat(result.error().retriable()).isFalse();
              assertThat(result.attempts()).isEqualTo(1);
            });
  }

  @Test
  void shouldFailWithTheLastErrorWhenAttemptsAreExhausted() {
    for (int i = 0; i < 3; i++) {
      provider.answer(
          () -> {
            throw error(ProviderException.Kind.RETRIABLE, 529, "overloaded_error");
          });
    }

    processor().process(deliveryOf(task, 1));

    assertThat(provider.requests).hasSize(3);
    assertThat(sink.results)
        .singleElement()
        .satisfies(
            result -> {
              assertThat(result.outcome()).isEqualTo(TaskOutcome.FAILED);
              assertThat(result.error().code()).isEqualTo("overloaded_error");
              assertThat(result.error().retriable()).isTrue();
              assertThat(result.attempts()).isEqualTo(3);
            });
  }

  @Test
  void shouldTreatAnAdapterBugAsRetriableAndReportIt() {
    for (int i = 0; i < 3; i++) {
      provider.answer(
          () -> {
            throw new IllegalStateException("adapter bug");
          });
    }

    processor().process(deliveryOf(task, 1));

    assertThat(sink.results)
        .singleElement()
        .satisfies(
            result -> {
              assertThat(result.error().code()).isEqualTo(ProviderErrors.UNEXPECTED);
              assertThat(result.error().message()).contains("adapter bug");
            });
  }

  @Test
  void shouldDeadLetterAndRejectAnUnreadableRecord() {
    Delivery garbage =
        Delivery.read(
            "t.tasks.openai.bulk", "k1", "{not json".getBytes(StandardCharsets.UTF_8), 1, null);

    TaskProcessor.Verdict verdict = processor().process(garbage);

    assertThat(verdict).isEqualTo(TaskProcessor.Verdict.REJECT);
    assertThat(sink.results).isEmpty();
    assertThat(sink.deadLetters)
        .singleElement()
        .satisfies(
            letter -> {
              assertThat(letter.sourceTopic()).isEqualTo("t.tasks.openai.bulk");
              assertThat(letter.key()).isEqualTo("k1");
              assertThat(letter.payload()).isEqualTo("{not json");
              assertThat(letter.reason()).startsWith("unreadable task");
            });
    assertThat(provider.requests).isEmpty();
  }

  @Test
  void shouldDeadLetterATaskOfAnUnknownSchemaVersion() {
    String future = TASKS.toJson(task).replace("\"schema_version\":1", "\"schema_version\":2");
    Delivery delivery =
        Delivery.read(
            "t.tasks.openai.bulk", task.taskId(), future.getBytes(StandardCharsets.UTF_8), 1, null);

    assertThat(processor().process(delivery)).isEqualTo(TaskProcessor.Verdict.REJECT);
    assertThat(sink.deadLetters)
        .singleElement()
        .satisfies(letter -> assertThat(letter.reason()).contains("schema_version 2"));
  }

  @Test
  void shouldFailAndDeadLetterAPoisonTaskOnItsLastDeliveryWithoutCallingTheProvider() {
    TaskProcessor.Verdict verdict = processor().process(deliveryOf(task, 5));

    assertThat(verdict).isEqualTo(TaskProcessor.Verdict.ACCEPT);
    assertThat(provider.requests).isEmpty();
    assertThat(sink.results)
        .singleElement()
        .satisfies(
            result -> {
              assertThat(result.outcome()).isEqualTo(TaskOutcome.FAILED);
              assertThat(result.error().code()).isEqualTo(TaskProcessor.DELIVERY_LIMIT_REACHED);
              assertThat(result.attempts()).isZero();
            });
    assertThat(sink.deadLetters)
        .singleElement()
        .satisfies(letter -> assertThat(letter.key()).isEqualTo(task.taskId()));
  }

  @Test
  void shouldReleaseWhenTheResultCannotBePublished() {
    provider.answer(() -> response("cba"));
    sink.failing = true;

    assertThat(processor().process(deliveryOf(task, 1))).isEqualTo(TaskProcessor.Verdict.RELEASE);
    assertThat(counters.snapshot().succeeded()).isZero();
    assertThat(provider.requests).as("a failed announcement does not stop the call").hasSize(1);
  }

  @Test
  void shouldStopRetryingOnceInterruptedEvenIfTheAdapterSwallowedTheInterrupt() {
    provider.answer(
        () -> {
          Thread.currentThread().interrupt();
          throw error(ProviderException.Kind.RETRIABLE, 0, "connection_failed");
        });

    TaskProcessor.Verdict verdict = processor().process(deliveryOf(task, 1));

    assertThat(verdict).isEqualTo(TaskProcessor.Verdict.RELEASE);
    assertThat(provider.requests).hasSize(1);
    assertThat(Thread.interrupted()).isTrue();
  }

  @Test
  void shouldReleaseWhenShutdownInterruptsARetryWait() {
    provider.answer(
        () -> {
          throw error(ProviderException.Kind.RETRIABLE, 503, "server_error");
        });

    TaskProcessor.Verdict verdict =
        processor(
                duration -> {
                  throw new InterruptedException("shutdown");
                })
            .process(deliveryOf(task, 1));

    assertThat(verdict).isEqualTo(TaskProcessor.Verdict.RELEASE);
    assertThat(sink.results).isEmpty();
    assertThat(Thread.interrupted()).isTrue();
  }

  @Test
  void shouldExpireATaskWhoseDeadlineHasPassedWithoutCallingTheProvider() {
    Task late = Tasks.withDeadline(task, NOW);

    TaskProcessor.Verdict verdict = processor().process(deliveryOf(late, 1));

    assertThat(verdict).isEqualTo(TaskProcessor.Verdict.ACCEPT);
    assertThat(provider.requests).isEmpty();
    assertThat(sink.starts).as("a task that never starts is not announced").isEmpty();
    assertThat(sink.results)
        .singleElement()
        .satisfies(
            result -> {
              assertThat(result.taskId()).isEqualTo(late.taskId());
              assertThat(result.outcome()).isEqualTo(TaskOutcome.EXPIRED);
              assertThat(result.error().code()).isEqualTo("deadline_exceeded");
              assertThat(result.attempts()).isZero();
              assertThat(result.startedAt()).isNull();
              assertThat(result.finishedAt()).isEqualTo(NOW);
            });
    assertThat(counters.snapshot().admitted()).as("no rate-limit admission asked").isZero();
  }

  @Test
  void shouldRunATaskWhoseDeadlineIsStillAhead() {
    provider.answer(() -> response("cba"));

    processor().process(deliveryOf(Tasks.withDeadline(task, NOW.plusMillis(1)), 1));

    assertThat(provider.requests).hasSize(1);
    assertThat(sink.results).extracting(TaskResult::outcome).containsExactly(TaskOutcome.SUCCEEDED);
  }

  @Test
  void shouldNotRetryOnceTheDeadlinePassedDuringTheRetryWait() {
    provider.answer(
        () -> {
          throw error(ProviderException.Kind.RETRIABLE, 503, "server_error");
        });
    Task due = Tasks.withDeadline(task, NOW.plusMillis(50));

    TaskProcessor.Verdict verdict = processor(clock::advance).process(deliveryOf(due, 1));

    assertThat(verdict).isEqualTo(TaskProcessor.Verdict.ACCEPT);
    assertThat(provider.requests).as("the retry is not sent").hasSize(1);
    assertThat(sink.results)
        .singleElement()
        .satisfies(
            result -> {
              assertThat(result.outcome()).isEqualTo(TaskOutcome.EXPIRED);
              assertThat(result.attempts()).isEqualTo(1);
              assertThat(result.startedAt()).isEqualTo(NOW);
              assertThat(result.finishedAt()).isEqualTo(NOW.plusMillis(100));
            });
  }

  @Test
  void shouldDropATaskOfACancelledJobWithoutCallingAndNotRetryOneCancelledDuringTheRetryWait() {
    provider.answer(
        () -> {
          throw error(ProviderException.Kind.RETRIABLE, 503, "server_error");
        });
    Set<String> cancelled = ConcurrentHashMap.newKeySet();
    Task other = Tasks.aTask("openai", Lane.STANDARD, "reverse: other");
    cancelled.add(other.jobId());
    TaskProcessor processor =
        new TaskProcessor(
            provider,
            new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.0),
            CircuitBreaker.ofDefaults("test"),
            sink,
            (p, model, usage) -> new BigDecimal("0.0015"),
            clock,
            5,
            wait -> cancelled.add(task.jobId()),
            () -> 0.5,
            counters,
            Admission.OPEN,
            DeadlinePolicy.DEFAULT,
            cancelled::contains);

    assertThat(processor.process(deliveryOf(other, 1))).isEqualTo(TaskProcessor.Verdict.ACCEPT);
    assertThat(processor.process(deliveryOf(task, 1))).isEqualTo(TaskProcessor.Verdict.ACCEPT);

    assertThat(provider.requests).as("only the first attempt of the second task").hasSize(1);
    assertThat(sink.results)
        .extracting(TaskResult::outcome, TaskResult::attempts)
        .containsExactly(tuple(TaskOutcome.CANCELLED, 0), tuple(TaskOutcome.CANCELLED, 1));
    assertThat(counters.snapshot().cancelled()).isEqualTo(2);
  }

  @Test
  void shouldExpireATaskWhoseDeadlinePassedWhileTheRateLimiterHeldIt() {
    Instant later = NOW.plusSeconds(3);
    Deque<Admission.Decision> decisions =
        new ArrayDeque<>(List.of(new Admission.Wait(later, "tokens")));
    TaskProcessor processor = processor(sleeps::add, callsAdmittedBy(decisions));
    Task due = Tasks.withDeadline(task, NOW.plusSeconds(2));

    assertThat(processor.handle(deliveryOf(due, 1)).verdict())
        .isEqualTo(TaskProcessor.Verdict.DEFER);
    clock.set(later);
    TaskProcessor.Outcome second = processor.handle(deliveryOf(due, 1));

    assertThat(second.verdict()).isEqualTo(TaskProcessor.Verdict.ACCEPT);
    assertThat(provider.requests).isEmpty();
    assertThat(sink.results).extracting(TaskResult::outcome).containsExactly(TaskOutcome.EXPIRED);
  }

  private static final String CITY_SCHEMA =
      "{\"type\":\"object\",\"required\":[\"city\"],"
          + "\"properties\":{\"city\":{\"type\":\"string\"}}}";

  private Task structuredTask(String schema, Integer maxRepairs) {
    CompletionSpec request = task.request();
    CompletionSpec structured =
        new CompletionSpec(
            request.model(),
            request.messages(),
            request.maxTokens(),
            request.temperature(),
            io.sluice.schemas.json.Json.mapper().valueToTree(parse(schema)),
            maxRepairs);
    return task.withRequest(structured, task.estimatedInputTokens());
  }

  private static com.fasterxml.jackson.databind.JsonNode parse(String json) {
    try {
      return io.sluice.schemas.json.Json.mapper().readTree(json);
    } catch (java.io.IOException e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void shouldRepairAnOutputThatDoesNotSatisfyTheSchemaAndCountEveryCall() {
    Task structured = structuredTask(CITY_SCHEMA, null);
    provider.answer(() -> response("{\"town\":\"Oslo\"}"));
    provider.answer(() -> response("```json\n{\"city\":\"Oslo\"}\n```"));
    List<Task> admitted = new ArrayList<>();
    Admission recording =
        new Admission() {
          @Override
          public boolean tryAcquire(Lane lane) {
            return true;
          }

          @Override
          public void release(Lane lane) {}

          @Override
          public Decision admit(Task call) {
            admitted.add(call);
            return new Admission.Go(Admission.Permit.NONE);
          }
        };

    TaskProcessor.Verdict verdict =
        processor(sleeps::add, recording).process(deliveryOf(structured, 1));

    assertThat(verdict).isEqualTo(TaskProcessor.Verdict.ACCEPT);
    TaskResult result = sink.results.getFirst();
    assertThat(result.outcome()).isEqualTo(TaskOutcome.SUCCEEDED);
    assertThat(result.outputJson()).isEqualTo(parse("{\"city\":\"Oslo\"}"));
    assertThat(result.repairs()).isEqualTo(1);
    assertThat(result.attempts()).isEqualTo(2);
    assertThat(result.usage()).isEqualTo(new TokenUsage(24, 6));
    assertThat(result.costUsd()).isEqualByComparingTo("0.0030");
    assertThat(provider.requests).hasSize(2);
    CompletionSpec repair = provider.requests.get(1);
    assertThat(repair.messages()).hasSize(3);
    assertThat(repair.messages().get(1).content()).isEqualTo("{\"town\":\"Oslo\"}");
    assertThat(repair.messages().get(2).content()).contains("city").contains("Validation errors");
    assertThat(admitted).extracting(call -> call.request().messages().size()).containsExactly(1, 3);
    assertThat(admitted.get(1).estimatedInputTokens())
        .isEqualTo(io.sluice.tokens.TokenEstimator.inputTokens(repair));
    assertThat(sink.starts).hasSize(1);
    assertThat(counters.snapshot().repairs()).isEqualTo(1);
  }

  @Test
  void shouldFailWithTheLastValidationErrorsOnceTheRepairsAreUsedUp() {
    Task structured = structuredTask(CITY_SCHEMA, 1);
    provider.answer(() -> response("not json at all"));
    provider.answer(() -> response("{\"city\":42}"));

    processor().process(deliveryOf(structured, 1));

    TaskResult result = sink.results.getFirst();
    assertThat(result.outcome()).isEqualTo(TaskOutcome.FAILED);
    assertThat(result.error().code()).isEqualTo("output_schema_mismatch");
    assertThat(result.error().retriable()).isFalse();
    assertThat(result.error().message())
        .contains("after 1 repair:")
        .contains("/city")
        .doesNotContain("42")
        .doesNotContain("not json");
    assertThat(result.output()).isNull();
    assertThat(result.outputJson()).isNull();
    assertThat(result.repairs()).isEqualTo(1);
    assertThat(result.attempts()).isEqualTo(2);
    assertThat(result.usage()).isEqualTo(new TokenUsage(24, 6));
    assertThat(result.costUsd()).isEqualByComparingTo("0.0030");
    assertThat(provider.requests).hasSize(2);
  }

  @Test
  void shouldMakeNoFurtherCallOnceTheCallsCostReachesTheJobsMaxCostUsd() {
    Task structured = structuredTask(CITY_SCHEMA, 5);
    CompletionSpec capped = structured.request();
    structured =
        structured.withRequest(
            new CompletionSpec(
                capped.model(),
                capped.messages(),
                capped.maxTokens(),
                capped.temperature(),
                capped.responseSchema(),
                capped.maxRepairs(),
                capped.fallback(),
                new java.math.BigDecimal("0.003")),
            structured.estimatedInputTokens());
    for (int i = 0; i < 6; i++) {
      provider.answer(() -> response("{\"town\":\"Oslo\"}"));
    }

    processor().process(deliveryOf(structured, 1));

    TaskResult result = sink.results.getFirst();
    assertThat(provider.requests).as("0.0015 per call: stopped after the second").hasSize(2);
    assertThat(result.outcome()).isEqualTo(TaskOutcome.FAILED);
    assertThat(result.error().code()).isEqualTo("max_cost_exceeded");
    assertThat(result.error().retriable()).isFalse();
    assertThat(result.error().message())
        .isEqualTo(
            "the job spent 0.003 USD, which reaches its max_cost_usd of 0.003 USD; no further"
                + " provider call was made");
    assertThat(result.attempts()).isEqualTo(2);
    assertThat(result.costUsd()).isEqualByComparingTo("0.0030");
  }

  @Test
  void shouldRetryARepairCallByTheRetryPolicyLikeAFirstCall() {
    Task structured = structuredTask(CITY_SCHEMA, 2);
    provider.answer(() -> response("{}"));
    provider.answer(
        () -> {
          throw error(ProviderException.Kind.RETRIABLE, 500, "server_error");
        });
    provider.answer(
        () -> {
          throw error(ProviderException.Kind.RETRIABLE, 500, "server_error");
        });
    provider.answer(() -> response("{\"city\":\"Rome\"}"));

    processor().process(deliveryOf(structured, 1));

    TaskResult result = sink.results.getFirst();
    assertThat(result.outcome()).isEqualTo(TaskOutcome.SUCCEEDED);
    assertThat(result.repairs()).isEqualTo(1);
    assertThat(result.attempts()).isEqualTo(4);
    assertThat(result.usage()).as("failed calls are not billed").isEqualTo(new TokenUsage(24, 6));
    assertThat(sleeps).containsExactly(Duration.ofMillis(100), Duration.ofMillis(200));
  }

  @Test
  void shouldLeaveATaskWithoutSchemaAsItWas() {
    provider.answer(() -> response("not json"));

    processor().process(deliveryOf(task, 1));

    TaskResult result = sink.results.getFirst();
    assertThat(result.outcome()).isEqualTo(TaskOutcome.SUCCEEDED);
    assertThat(result.outputJson()).isNull();
    assertThat(result.repairs()).isNull();
  }

  @Test
  void shouldFailATaskWhoseResponseSchemaCannotBeUsedWithoutCallingTheProvider() {
    processor().process(deliveryOf(structuredTask("{\"type\":1}", null), 1));

    TaskResult result = sink.results.getFirst();
    assertThat(result.outcome()).isEqualTo(TaskOutcome.FAILED);
    assertThat(result.error().code()).isEqualTo("invalid_response_schema");
    assertThat(result.error().message()).startsWith("response_schema is not a valid JSON Schema");
    assertThat(provider.requests).isEmpty();
  }

  private static CompletionResponse response(String output) {
    return new CompletionResponse(
        output, new TokenUsage(12, 3), "gpt-4o-mini-2024-07-18", RateLimitSnapshot.NONE, "req-1");
  }

  @Test
  void shouldGiveUpAtOnceWhenTheCircuitIsOpenAndAFallbackEntryFollowsButWaitOtherwise() {
    CircuitBreaker open = CircuitBreaker.ofDefaults("open");
    open.transitionToOpenState();
    TaskProcessor processor =
        new TaskProcessor(
            provider,
            new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.0),
            open,
            sink,
            (p, model, usage) -> new BigDecimal("0.0015"),
            clock,
            5,
            wait -> {
              sleeps.add(wait);
              open.transitionToClosedState();
            },
            () -> 0.5,
            counters,
            Admission.OPEN,
            DeadlinePolicy.DEFAULT);

    assertThat(processor.process(deliveryOf(task.withFallbackAvailable(true), 1)))
        .isEqualTo(TaskProcessor.Verdict.ACCEPT);

    assertThat(provider.requests).isEmpty();
    assertThat(sleeps).isEmpty();
    assertThat(sink.results)
        .singleElement()
        .satisfies(
            failed -> {
              assertThat(failed.outcome()).isEqualTo(TaskOutcome.FAILED);
              assertThat(failed.error().code()).isEqualTo(ProviderErrors.CIRCUIT_OPEN);
              assertThat(failed.error().scope()).isEqualTo(FailureScope.PROVIDER);
              assertThat(failed.attempts()).isZero();
            });

    // without a fallback entry the task waits for the circuit and is then called
    sink.results.clear();
    open.transitionToOpenState();
    provider.answer(() -> response("cba"));
    assertThat(processor.process(deliveryOf(task, 1))).isEqualTo(TaskProcessor.Verdict.ACCEPT);
    assertThat(sleeps).hasSize(1);
    assertThat(sink.results)
        .singleElement()
        .extracting(TaskResult::outcome)
        .isEqualTo(TaskOutcome.SUCCEEDED);
  }

  @Test
  void shouldClassifyAGiveUpForTheFallbackPolicy() {
    provider.answer(
        () -> {
          throw error(ProviderException.Kind.PERMANENT, 400, "invalid_request_error");
        });

    processor().process(deliveryOf(task, 1));

    assertThat(sink.results.getFirst().error().scope()).isEqualTo(FailureScope.REQUEST);
  }

  private static final class ScriptedProvider implements Provider {
    final List<CompletionSpec> requests = new ArrayList<>();
    private final Deque<Supplier<CompletionResponse>> script = new ArrayDeque<>();

    void answer(Supplier<CompletionResponse> next) {
      script.add(next);
    }

    @Override
    public String name() {
      return "openai";
    }

    @Override
    public CompletionResponse complete(CompletionSpec request) {
      requests.add(request);
      return script.remove().get();
    }
  }

  private static final class RecordingSink implements ResultSink {
    final List<TaskResult> starts = new ArrayList<>();
    final List<TaskResult> results = new ArrayList<>();
    final List<DeadLetter> deadLetters = new ArrayList<>();
    boolean failing;

    @Override
    public void publish(TaskResult result) {
      if (failing) {
        throw new KafkaException("broker unavailable");
      }
      results.add(result);
    }

    @Override
    public void announce(TaskResult started) {
      if (failing) {
        throw new KafkaException("broker unavailable");
      }
      starts.add(started);
    }

    @Override
    public void deadLetter(String key, DeadLetter letter) {
      deadLetters.add(letter);
    }
  }
}
