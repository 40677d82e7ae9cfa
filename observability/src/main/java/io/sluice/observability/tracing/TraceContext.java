package io.sluice.observability.tracing;

import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;

/**
 * A span's W3C trace context as text: the {@code traceparent} and {@code tracestate} header values,
 * to be stored (job-api's outbox) or written on a Kafka record. Sluice carries only these two (no
 * baggage).
 *
 * @param traceparent {@code 00-<trace ID>-<span ID>-<flags>}
 * @param tracestate vendor entries, or {@code null} when there are none
 */
public record TraceContext(String traceparent, String tracestate) {
  public static final String TRACEPARENT = "traceparent";
  public static final String TRACESTATE = "tracestate";

  private static final W3CTraceContextPropagator W3C = W3CTraceContextPropagator.getInstance();

  /**
   * The trace context of the current span, or {@code null} when there is none (always so when
   * tracing is off: nothing is allocated then).
   */
  public static TraceContext current() {
    return of(Context.current());
  }

  /** The trace context of {@code context}'s span, or {@code null} when it has no valid span. */
  public static TraceContext of(Context context) {
    SpanContext span = Span.fromContext(context).getSpanContext();
    if (!span.isValid()) {
      return null;
    }
    String[] values = new String[2];
    W3C.inject(context, values, TextFields.SETTER);
    return new TraceContext(values[0], values[1]);
  }

  /** The context whose remote parent span this trace context names ({@code root} when invalid). */
  public Context toContext() {
    return W3C.extract(Context.root(), this, TextFields.GETTER);
  }

  /** Sets the two headers on {@code headers}, replacing any earlier ones. */
  public void writeTo(Headers headers) {
    set(headers, TRACEPARENT, traceparent);
    if (tracestate != null) {
      set(headers, TRACESTATE, tracestate);
    } else {
      headers.remove(TRACESTATE);
    }
  }

  /** The trace context in {@code headers}, or {@code null} when they carry no traceparent. */
  public static TraceContext readFrom(Headers headers) {
    String traceparent = text(headers.lastHeader(TRACEPARENT));
    return traceparent == null
        ? null
        : new TraceContext(traceparent, text(headers.lastHeader(TRACESTATE)));
  }

  private static void set(Headers headers, String key, String value) {
    headers.remove(key);
    headers.add(key, value.getBytes(StandardCharsets.UTF_8));
  }

  private static String text(Header header) {
    return header == null || header.value() == null
        ? null
        : new String(header.value(), StandardCharsets.UTF_8);
  }

  /** The propagator's view of the two fields: of a {@link TraceContext}, into a two-slot array. */
  private static final class TextFields {
    static final TextMapSetter<String[]> SETTER =
        (slots, key, value) -> {
          if (slots != null && TRACEPARENT.equals(key)) {
            slots[0] = value;
          } else if (slots != null && TRACESTATE.equals(key)) {
            slots[1] = value;
          }
        };

    static final TextMapGetter<TraceContext> GETTER =
        new TextMapGetter<>() {
          @Override
          public Iterable<String> keys(TraceContext carrier) {
            return List.of(TRACEPARENT, TRACESTATE);
          }

          @Override
          public String get(TraceContext carrier, String key) {
            if (carrier == null) {
              return null;
            }
            return TRACEPARENT.equals(key)
                ? carrier.traceparent
                : TRACESTATE.equals(key) ? carrier.tracestate : null;
          }
        };
  }
}
