package io.sluice.dispatcher;

import static io.sluice.dispatcher.JobFixtures.CLOCK;
import static io.sluice.dispatcher.JobFixtures.MODELS;
import static io.sluice.dispatcher.JobFixtures.aJob;
import static io.sluice.dispatcher.JobFixtures.aSuccessFor;
import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.sluice.dispatcher.internal.StreamsProperties;
import io.sluice.observability.tracing.SpanAttributes;
import io.sluice.observability.tracing.SpanNames;
import io.sluice.schemas.job.SubmittedJob;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.task.TaskResult;
import io.sluice.schemas.topic.Topic;
import io.sluice.schemas.topic.TopicCatalog;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.apache.kafka.streams.test.TestRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The production topology carries the trace context: a routed job's span is the child of the
 * submission's {@code traceparent} and its tasks name it; a result's span is the child of the
 * worker's and the job event names it. Off, records pass their headers on untouched.
 */
class DispatcherTracingTest {
  private static final TopicCatalog TOPICS = new TopicCatalog("t");
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String PARENT_ID = "00f067aa0ba902b7";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + PARENT_ID + "-01";

  @TempDir Path stateDir;
  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(spans))
                  .build())
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
          .build();
  private TopologyTestDriver driver;

  @AfterEach
  void close() {
    if (driver != null) {
      driver.close();
    }
    sdk.close();
  }

  @Test
  void shouldRouteAJobInASpanChildOfItsSubmissionAndNameItOnTheTask() {
    start(sdk);
    SubmittedJob job = aJob().withId("traced").build();

    input(TOPICS.jobsSubmitted()).pipeInput(new TestRecord<>("traced", job, traced()));

    SpanData dispatch = onlySpan(SpanNames.DISPATCH);
    assertThat(dispatch.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(dispatch.getParentSpanId()).isEqualTo(PARENT_ID);
    assertThat(dispatch.getAttributes().get(SpanAttributes.JOB_ID)).isEqualTo("traced");
    assertThat(dispatch.getAttributes().get(SpanAttributes.LANE)).isEqualTo("standard");
    TestRecord<String, ?> task =
        driver
            .createOutputTopic(
                TOPICS.tasks("openai", Lane.STANDARD).name(),
                TOPICS.tasks("openai", Lane.STANDARD).keySerde().deserializer(),
                TOPICS.tasks("openai", Lane.STANDARD).valueSerde().deserializer())
            .readRecord();
    assertThat(traceparentOf(task.headers()))
        .startsWith("00-" + TRACE_ID + "-" + dispatch.getSpanId() + "-");
    assertThat(task.headers().headers("traceparent")).hasSize(1);
  }

  @Test
  void shouldCompleteAResultInASpanChildOfTheWorkersAndNameItOnTheJobEvent() {
    start(sdk);
    SubmittedJob job = aJob().withId("done").build();
    input(TOPICS.jobsSubmitted()).pipeInput("done", job);
    TaskResult result = aSuccessFor(job);

    input(TOPICS.taskResults()).pipeInput(new TestRecord<>("done", result, traced()));

    SpanData complete = onlySpan(SpanNames.COMPLETE);
    assertThat(complete.getParentSpanId()).isEqualTo(PARENT_ID);
    assertThat(complete.getAttributes().get(SpanAttributes.TASK_ID)).isEqualTo(result.taskId());
    TestRecord<String, ?> event =
        driver
            .createOutputTopic(
                TOPICS.jobsEvents().name(),
                TOPICS.jobsEvents().keySerde().deserializer(),
                TOPICS.jobsEvents().valueSerde().deserializer())
            .readRecord();
    assertThat(traceparentOf(event.headers()))
        .startsWith("00-" + TRACE_ID + "-" + complete.getSpanId() + "-");
  }

  @Test
  void shouldPassTheHeadersOnUntouchedAndRecordNothingWhenTracingIsOff() {
    start(OpenTelemetry.noop());

    input(TOPICS.jobsSubmitted())
        .pipeInput(new TestRecord<>("plain", aJob().withId("plain").build(), traced()));

    TestRecord<String, ?> task =
        driver
            .createOutputTopic(
                TOPICS.tasks("openai", Lane.STANDARD).name(),
                TOPICS.tasks("openai", Lane.STANDARD).keySerde().deserializer(),
                TOPICS.tasks("openai", Lane.STANDARD).valueSerde().deserializer())
            .readRecord();
    assertThat(task.key()).isEqualTo("plain.c");
    assertThat(traceparentOf(task.headers())).isEqualTo(TRACEPARENT);
    assertThat(spans.getFinishedSpanItems()).isEmpty();
  }

  private void start(OpenTelemetry openTelemetry) {
    var settings =
        DispatcherSettings.builder("unused:9092", stateDir)
            .topicPrefix(TOPICS.prefix())
            .models(MODELS)
            .openTelemetry(openTelemetry)
            .build();
    driver =
        new TopologyTestDriver(
            new DispatcherTopology(settings, CLOCK).build(), StreamsProperties.of(settings, CLOCK));
  }

  private SpanData onlySpan(String name) {
    return spans.getFinishedSpanItems().stream()
        .filter(span -> span.getName().equals(name))
        .reduce(
            (a, b) -> {
              throw new AssertionError("more than one " + name + " span");
            })
        .orElseThrow(() -> new AssertionError("no " + name + " span"));
  }

  private static Headers traced() {
    Headers headers = new RecordHeaders();
    headers.add("traceparent", TRACEPARENT.getBytes(StandardCharsets.UTF_8));
    return headers;
  }

  private static String traceparentOf(Headers headers) {
    return new String(headers.lastHeader("traceparent").value(), StandardCharsets.UTF_8);
  }

  private <V> TestInputTopic<String, V> input(Topic<String, V> topic) {
    return driver.createInputTopic(
        topic.name(), topic.keySerde().serializer(), topic.valueSerde().serializer());
  }
}
