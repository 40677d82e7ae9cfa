package io.sluice.launcher.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.launcher.client.SluiceClient;
import io.sluice.launcher.tracing.ComponentTracing;
import io.sluice.observability.tracing.SpanAttributes;
import io.sluice.observability.tracing.SpanNames;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One job's trace across the platform: job-api, the dispatcher and a worker pool (on the simulator)
 * in one JVM on the real test Kafka broker and PostgreSQL, all recording into one SDK with an
 * in-memory exporter. The job's spans share one trace ID and chain request → dispatch → task →
 * provider call, and the task's results come back to the dispatcher's completion in the same trace.
 */
class TracingEndToEndTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path dataDir;
  private static PostgresEndpoint database;
  private static InMemorySpanExporter spans;
  private static OpenTelemetrySdk sdk;
  private static LocalPlatform platform;
  private static SluiceClient client;
  private static HttpClient http;

  @BeforeAll
  static void startPlatform() {
    spans = InMemorySpanExporter.create();
    sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(
                SdkTracerProvider.builder()
                    .addSpanProcessor(SimpleSpanProcessor.create(spans))
                    .build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    database = TestInfrastructure.newDatabase();
    platform =
        LocalPlatform.startOn(
            new LocalOptions(dataDir, 0, "unlimited", Duration.ofMillis(5), 4),
            database,
            TestInfrastructure.kafka(),
            TestInfrastructure.uniqueName("tracing"),
            ComponentTracing.shared(sdk));
    client = new SluiceClient(platform.apiUrl(), platform.devApiKey());
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stopPlatform() {
    http.close();
    client.close();
    platform.close();
    database.close();
    sdk.close();
  }

  @Test
  void shouldTraceOneJobFromTheRequestThroughTheDispatcherToTheProviderCallAndBack()
      throws Exception {
    String prompt = "reverse: a secret prompt that must stay out of spans";
    String jobId = submit(prompt, Optional.empty());
    assertThat(client.job(jobId, WAIT).get("status").asText()).isEqualTo("succeeded");

    JobTrace trace = awaitTrace(jobId);

    assertThat(trace.request().getKind()).isEqualTo(SpanKind.SERVER);
    assertThat(trace.request().getName()).isEqualTo("POST /v1/jobs");
    assertThat(trace.request().getAttributes().get(SpanAttributes.HTTP_STATUS)).isEqualTo(202L);
    assertThat(trace.request().getParentSpanContext().isValid()).isFalse();
    assertThat(trace.dispatch().getParentSpanId()).isEqualTo(trace.request().getSpanId());
    assertThat(trace.task().getParentSpanId()).isEqualTo(trace.dispatch().getSpanId());
    assertThat(trace.call().getParentSpanId()).isEqualTo(trace.task().getSpanId());
    assertThat(trace.call().getKind()).isEqualTo(SpanKind.CLIENT);
    assertThat(trace.call().getAttributes().get(SpanAttributes.PROVIDER)).isEqualTo("openai");
    assertThat(trace.call().getAttributes().get(SpanAttributes.OUTPUT_TOKENS)).isPositive();
    assertThat(trace.completions())
        .isNotEmpty()
        .allSatisfy(
            completion ->
                assertThat(completion.getParentSpanId()).isEqualTo(trace.task().getSpanId()));
    for (SpanData span : trace.all()) {
      assertThat(span.getTraceId()).as(span.getName()).isEqualTo(trace.request().getTraceId());
      span.getAttributes()
          .forEach(
              (key, value) ->
                  assertThat(String.valueOf(value)).as(key.getKey()).doesNotContain("secret"));
    }
  }

  @Test
  void shouldContinueTheTraceOfAnIncomingTraceparent() throws Exception {
    String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
    String parentId = "00f067aa0ba902b7";
    String jobId =
        submit("reverse: continued", Optional.of("00-" + traceId + "-" + parentId + "-01"));
    assertThat(client.job(jobId, WAIT).get("status").asText()).isEqualTo("succeeded");

    JobTrace trace = awaitTrace(jobId);

    assertThat(trace.request().getTraceId()).isEqualTo(traceId);
    assertThat(trace.request().getParentSpanId()).isEqualTo(parentId);
    assertThat(trace.request().getParentSpanContext().isRemote()).isTrue();
    assertThat(trace.call().getTraceId()).isEqualTo(traceId);
  }

  /** A job's spans: the request, its dispatch, the worker's task and provider call, completion. */
  private record JobTrace(
      SpanData request,
      SpanData dispatch,
      SpanData task,
      SpanData call,
      List<SpanData> completions) {
    List<SpanData> all() {
      List<SpanData> all = new java.util.ArrayList<>(List.of(request, dispatch, task, call));
      all.addAll(completions);
      return all;
    }
  }

  private static JobTrace awaitTrace(String jobId) {
    return await().atMost(WAIT).until(() -> traceOf(jobId), Optional::isPresent).orElseThrow();
  }

  private static Optional<JobTrace> traceOf(String jobId) {
    List<SpanData> finished = spans.getFinishedSpanItems();
    Optional<SpanData> dispatch = named(finished, SpanNames.DISPATCH, SpanAttributes.JOB_ID, jobId);
    Optional<SpanData> task = named(finished, SpanNames.TASK, SpanAttributes.JOB_ID, jobId);
    List<SpanData> completions =
        finished.stream()
            .filter(span -> span.getName().equals(SpanNames.COMPLETE))
            .filter(span -> jobId.equals(span.getAttributes().get(SpanAttributes.JOB_ID)))
            .toList();
    if (dispatch.isEmpty() || task.isEmpty() || completions.size() < 2) {
      return Optional.empty();
    }
    String taskId = task.get().getAttributes().get(SpanAttributes.TASK_ID);
    Optional<SpanData> call =
        named(finished, SpanNames.PROVIDER_CALL, SpanAttributes.TASK_ID, taskId);
    Optional<SpanData> request =
        finished.stream()
            .filter(span -> span.getSpanId().equals(dispatch.get().getParentSpanId()))
            .findFirst();
    if (call.isEmpty() || request.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(
        new JobTrace(request.get(), dispatch.get(), task.get(), call.get(), completions));
  }

  private static Optional<SpanData> named(
      List<SpanData> finished, String name, AttributeKey<String> key, String value) {
    return finished.stream()
        .filter(span -> span.getName().equals(name))
        .filter(span -> value.equals(span.getAttributes().get(key)))
        .findFirst();
  }

  private static String submit(String prompt, Optional<String> traceparent) throws Exception {
    String body =
        JSON.writeValueAsString(
            java.util.Map.of(
                "model",
                "gpt-4o-mini",
                "messages",
                List.of(java.util.Map.of("role", "user", "content", prompt))));
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(platform.apiUrl() + "/v1/jobs"))
            .header("Authorization", "Bearer " + platform.devApiKey())
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    traceparent.ifPresent(value -> request.header("traceparent", value));
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    JsonNode job = JSON.readTree(response.body());
    return job.get("id").asText();
  }
}
