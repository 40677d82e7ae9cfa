package io.sluice.providers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Scope;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderKind;
import java.net.URI;
import java.net.http.HttpRequest;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A provider request carries the W3C trace context of the current span, and only then. */
class HttpTransportTraceTest {
  private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";
  private static final String SPAN_ID = "00f067aa0ba902b7";

  private final HttpTransport transport =
      new HttpTransport(
          ProviderConfig.of(
              "openai", ProviderKind.OPENAI, URI.create("http://127.0.0.1:9"), "sk-test"),
          Clock.systemUTC());

  @AfterEach
  void close() {
    transport.close();
  }

  @Test
  void shouldSendTheTraceparentOfTheCurrentSpan() {
    Span call =
        Span.wrap(
            SpanContext.create(
                TRACE_ID, SPAN_ID, TraceFlags.getSampled(), TraceState.getDefault()));
    HttpRequest request;
    try (Scope ignored = call.makeCurrent()) {
      request = transport.request("/v1/chat/completions").GET().build();
    }

    assertThat(request.headers().firstValue("traceparent"))
        .contains("00-" + TRACE_ID + "-" + SPAN_ID + "-01");
  }

  @Test
  void shouldSendNoTraceContextWithoutASpan() {
    HttpRequest request = transport.request("/v1/chat/completions").GET().build();

    assertThat(request.headers().firstValue("traceparent")).isEmpty();
    assertThat(request.headers().firstValue("tracestate")).isEmpty();
  }
}
