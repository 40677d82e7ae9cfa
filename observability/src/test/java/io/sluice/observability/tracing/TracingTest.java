package io.sluice.observability.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The W3C trace context on Kafka record headers: written, read back, and nothing when off. */
class TracingTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN_ID = "00f067aa0ba902b7";
  private static final String TRACEPARENT = "00-" + TRACE_ID + "-" + SPAN_ID + "-01";

  private final InMemorySpanExporter exported = InMemorySpanExporter.create();
  private final OpenTelemetrySdk sdk =
      OpenTelemetrySdk.builder()
          .setTracerProvider(
              SdkTracerProvider.builder()
                  .addSpanProcessor(SimpleSpanProcessor.create(exported))
                  .build())
          .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
          .build();

  @AfterEach
  void closeSdk() {
    sdk.close();
  }

  @Test
  void shouldWriteTheCurrentSpansTraceparentOnACopyOfTheHeaders() {
    Headers original =
        headers("traceparent", "00-" + "1".repeat(32) + "-" + "2".repeat(16) + "-01");
    original.add("other", "kept".getBytes(StandardCharsets.UTF_8));
    Span span = Tracing.of(sdk, "test").tracer().spanBuilder("work").startSpan();
    Headers traced;
    try (Scope ignored = span.makeCurrent()) {
      traced = Tracing.withCurrentTrace(original);
    } finally {
      span.end();
    }

    assertThat(traced).isNotSameAs(original);
    assertThat(text(traced, "traceparent"))
        .isEqualTo(
            "00-"
                + span.getSpanContext().getTraceId()
                + "-"
                + span.getSpanContext().getSpanId()
                + "-"
                + span.getSpanContext().getTraceFlags().asHex());
    assertThat(traced.headers("traceparent")).hasSize(1);
    assertThat(text(traced, "other")).isEqualTo("kept");
    assertThat(text(original, "traceparent")).startsWith("00-1111");
  }

  @Test
  void shouldLeaveTheHeadersAsTheyAreWithoutACurrentSpan() {
    Headers original = headers("traceparent", TRACEPARENT);

    assertThat(Tracing.withCurrentTrace(original)).isSameAs(original);
    assertThat(TraceContext.current()).isNull();
  }

  @Test
  void shouldReadTheParentOfARecordFromItsTraceparent() {
    Tracing tracing = Tracing.of(sdk, "test");
    SpanContext parent =
        Span.fromContext(tracing.parentOf(headers("traceparent", TRACEPARENT))).getSpanContext();

    assertThat(parent.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(parent.getSpanId()).isEqualTo(SPAN_ID);
    assertThat(parent.isRemote()).isTrue();
    assertThat(tracing.parentOf(new RecordHeaders())).isSameAs(Context.root());
  }

  @Test
  void shouldReadNothingWhenTracingIsOff() {
    Tracing off = Tracing.off();

    assertThat(off.enabled()).isFalse();
    assertThat(off.parentOf(headers("traceparent", TRACEPARENT))).isSameAs(Context.root());
    Span span = off.tracer().spanBuilder("nothing").startSpan();
    assertThat(span.getSpanContext().isValid()).isFalse();
    assertThat(exported.getFinishedSpanItems()).isEmpty();
  }

  @Test
  void shouldCarryTraceparentAndTracestateThroughStoredText() {
    SpanContext remote =
        SpanContext.createFromRemoteParent(
            TRACE_ID,
            SPAN_ID,
            TraceFlags.getSampled(),
            TraceState.builder().put("vendor", "v1").build());
    TraceContext stored = TraceContext.of(Context.root().with(Span.wrap(remote)));

    assertThat(stored).isEqualTo(new TraceContext(TRACEPARENT, "vendor=v1"));
    Headers headers = headers("tracestate", "stale=1");
    stored.writeTo(headers);
    assertThat(TraceContext.readFrom(headers)).isEqualTo(stored);
    SpanContext back = Span.fromContext(stored.toContext()).getSpanContext();
    assertThat(back.getTraceId()).isEqualTo(TRACE_ID);
    assertThat(back.getTraceState().get("vendor")).isEqualTo("v1");
    assertThat(TraceContext.readFrom(new RecordHeaders())).isNull();
  }

  private static Headers headers(String key, String value) {
    Headers headers = new RecordHeaders();
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
    return headers;
  }

  private static String text(Headers headers, String key) {
    return new String(headers.lastHeader(key).value(), StandardCharsets.UTF_8);
  }
}
