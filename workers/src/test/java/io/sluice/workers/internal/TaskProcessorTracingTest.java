package io.sluice.workers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.sluice.lane.DeadlinePolicy;
import io.sluice.observability.tracing.SpanAttributes;
import io.sluice.observability.tracing.SpanNames;
import io.sluice.observability.tracing.TraceContext;
import io.sluice.observability.tracing.Tracing;
import io.sluice.providers.CompletionResponse;
import io.sluice.providers.Provider;
import io.sluice.providers.ProviderException;
import io.sluice.providers.RateLimitSnapshot;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.JsonSerde;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.Task;
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
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A task's span is the child of the dispatcher's span its record names; the provider call is a
 * client span inside it, current while the provider runs (so its request carries it); results are
 * published with the task span's context. Off, there is no span anywhere.
 */
class TaskProcessorTracingTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT_ID = "00f067aa0ba902b7";
  private static final JsonSerde<Task> TASKS = JsonSerde.of(Task.class);

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(spans))
                  .build())
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
          .build();
  private final Task task = Tasks.aTask("openai", Lane.STANDARD, "reverse: a private prompt");
  private final List<String> spansSeenByProvider = new ArrayList<>();
  private final List<TraceContext> tracesPublished = new ArrayList<>();

  @AfterEach
  void closeSdk() {
    sdk.close();
  }

  @Test
  void shouldCallTheProviderInAClientSpanWithinTheTaskSpanChildOfTheDispatcher() {
    TaskProcessor.Verdict verdict =
        processor(sdk, request -> response()).process(delivery(traced()));

    assertThat(verdict).isEqualTo(TaskProcessor.Verdict.ACCEPT);
    SpanData taskSpan = onlySpan(SpanNames.TASK);
    SpanData call = onlySpan(SpanNames.PROVIDER_CALL);
    assertThat(taskSpan.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(taskSpan.getParentSpanId()).isEqualTo(PARENT_ID);
    assertThat(taskSpan.getKind()).isEqualTo(SpanKind.CONSUMER);
    assertThat(taskSpan.getAttributes().get(SpanAttributes.TASK_ID)).isEqualTo(task.taskId());
    assertThat(taskSpan.getAttributes().get(SpanAttributes.OUTCOME)).isEqualTo("accept");
    assertThat(call.getParentSpanId()).isEqualTo(taskSpan.getSpanId());
    assertThat(call.getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(call.getAttributes().get(SpanAttributes.INPUT_TOKENS)).isEqualTo(12L);
    assertThat(call.getAttributes().get(SpanAttributes.OUTPUT_TOKENS)).isEqualTo(3L);
    assertThat(spansSeenByProvider).containsExactly(call.getSpanId());
    // the start announcement and the result both name the task span
    assertThat(tracesPublished)
        .hasSize(2)
        .allSatisfy(
            trace ->
                assertThat(trace.traceparent())
                    .startsWith("00-" + TRACE_ID + "-" + taskSpan.getSpanId() + "-"));
    for (SpanData span : spans.getFinishedSpanItems()) {
      span.getAttributes()
          .forEach((key, value) -> assertThat(String.valueOf(value)).doesNotContain("private"));
    }
  }

  @Test
  void shouldMarkAFailedCallAnErrorNamingItsClassOnly() {
    processor(
            sdk,
            request -> {
              throw new ProviderException(
                  "openai",
                  ProviderException.Kind.PERMANENT,
                  400,
                  "invalid_request_error",
                  "the prompt 'a private prompt' is bad",
                  null,
                  null,
                  null);
            })
        .process(delivery(traced()));

    SpanData call = onlySpan(SpanNames.PROVIDER_CALL);
    assertThat(call.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
    assertThat(call.getStatus().getDescription()).isEmpty();
    assertThat(call.getEvents()).isEmpty();
    assertThat(call.getAttributes().get(SpanAttributes.OUTCOME)).isNotBlank();
    assertThat(call.getAttributes().asMap().values())
        .noneMatch(value -> String.valueOf(value).contains("private"));
  }

  @Test
  void shouldRecordNoSpanAndCarryNoContextWhenTracingIsOff() {
    TaskProcessor.Verdict verdict =
        processor(OpenTelemetry.noop(), request -> response()).process(delivery(traced()));

    assertThat(verdict).isEqualTo(TaskProcessor.Verdict.ACCEPT);
    assertThat(spans.getFinishedSpanItems()).isEmpty();
    assertThat(spansSeenByProvider).containsExactly("none");
    assertThat(tracesPublished).containsOnlyNulls().hasSize(2);
  }

  private TaskProcessor processor(
      OpenTelemetry openTelemetry, Function<CompletionSpec, CompletionResponse> answers) {
    Provider provider =
        new Provider() {
          @Override
          public String name() {
            return "openai";
          }

          @Override
          public CompletionResponse complete(CompletionSpec request) {
            var span = Span.current().getSpanContext();
            spansSeenByProvider.add(span.isValid() ? span.getSpanId() : "none");
            return answers.apply(request);
          }
        };
    ResultSink sink =
        new ResultSink() {
          @Override
          public void publish(TaskResult result) {
            tracesPublished.add(TraceContext.current());
          }

          @Override
          public void announce(TaskResult started) {
            tracesPublished.add(TraceContext.current());
          }

          @Override
          public void deadLetter(String key, DeadLetter letter) {}
        };
    return new TaskProcessor(
        provider,
        new RetryPolicy(1, Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.0),
        CircuitBreaker.ofDefaults("test"),
        sink,
        (p, model, usage) -> BigDecimal.ZERO,
        new ManualClock(Instant.parse("2026-01-01T00:00:00Z")),
        5,
        duration -> {},
        () -> 0.5,
        new Counters(),
        Admission.OPEN,
        DeadlinePolicy.DEFAULT,
        jobId -> false,
        Tracing.of(openTelemetry, "test"));
  }

  private Delivery delivery(Headers headers) {
    return Delivery.read(
        "t.tasks.openai.standard", task.taskId(), TASKS.toBytes(task), 1, null, headers);
  }

  private static Headers traced() {
    Headers headers = new RecordHeaders();
    headers.add(
        "traceparent",
        ("00-" + TRACE_ID + "-" + PARENT_ID + "-01").getBytes(StandardCharsets.UTF_8));
    return headers;
  }

  private static CompletionResponse response() {
    return new CompletionResponse(
        "ok", new TokenUsage(12, 3), "gpt-4o-mini", RateLimitSnapshot.NONE, "req-1");
  }

  private SpanData onlySpan(String name) {
    List<SpanData> named =
        spans.getFinishedSpanItems().stream().filter(span -> span.getName().equals(name)).toList();
    assertThat(named).as(name).hasSize(1);
    return named.getFirst();
  }
}
