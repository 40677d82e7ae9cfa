package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.VALID_BODY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A job keeps the trace context of the request that submitted it through the outbox: its {@code
 * jobs.submitted} record names the request's server span in a {@code traceparent} header, whether
 * the job was committed in a group or alone (Idempotency-Key). Off, no header is written.
 */
class OutboxTraceTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-00f067aa0ba902b7-01";

  private final InMemorySpanExporter spans = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(spans))
                  .build())
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
          .build();

  @AfterEach
  void closeSdk() {
    sdk.close();
  }

  @Test
  void shouldPublishEachJobWithTheTraceparentOfItsRequestsServerSpan() {
    try (JobApiFixture fixture = JobApiFixture.start(s -> s.openTelemetry(sdk))) {
      JobApiFixture.Client client = fixture.newClient();
      String topic = fixture.topics.jobsSubmitted().name();

      String grouped = accepted(client.submit(VALID_BODY, "traceparent", TRACEPARENT));
      String alone =
          accepted(
              client.submit(
                  VALID_BODY, "traceparent", TRACEPARENT, "Idempotency-Key", "trace-key-1"));

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> KafkaTestClients.readAll(topic), records -> records.size() == 2);
      List<SpanData> servers =
          spans.getFinishedSpanItems().stream()
              .filter(span -> span.getKind() == SpanKind.SERVER)
              .filter(span -> span.getName().equals("POST /v1/jobs"))
              .toList();
      assertThat(servers)
          .hasSize(2)
          .allSatisfy(span -> assertThat(span.getTraceId()).isEqualTo(TRACE_ID));
      for (ConsumerRecord<String, String> record : KafkaTestClients.readAll(topic)) {
        assertThat(record.key()).isIn(grouped, alone);
        String spanId = traceparentOf(record).split("-")[2];
        assertThat(traceparentOf(record)).startsWith("00-" + TRACE_ID + "-");
        assertThat(servers).extracting(SpanData::getSpanId).contains(spanId);
      }
      assertThat(fixture.count("SELECT count(*) FROM outbox")).isZero();
    }
  }

  @Test
  void shouldWriteNoTraceHeaderWhenTracingIsOff() {
    try (JobApiFixture fixture = JobApiFixture.start()) {
      JobApiFixture.Client client = fixture.newClient();
      String topic = fixture.topics.jobsSubmitted().name();

      accepted(client.submit(VALID_BODY, "traceparent", TRACEPARENT));

      await()
          .atMost(Duration.ofSeconds(20))
          .until(() -> KafkaTestClients.readAll(topic), records -> records.size() == 1);
      assertThat(KafkaTestClients.readAll(topic).getFirst().headers().lastHeader("traceparent"))
          .isNull();
      assertThat(spans.getFinishedSpanItems()).isEmpty();
    }
  }

  private static String accepted(java.net.http.HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return JobApiFixture.json(response).get("id").asText();
  }

  private static String traceparentOf(ConsumerRecord<String, String> record) {
    Header header = record.headers().lastHeader("traceparent");
    assertThat(header).as("traceparent of " + record.key()).isNotNull();
    return new String(header.value(), StandardCharsets.UTF_8);
  }
}
