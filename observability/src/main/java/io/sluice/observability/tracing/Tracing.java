package io.sluice.observability.tracing;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapPropagator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * One component's tracing: its {@link Tracer} and the propagation of the W3C trace context on Kafka
 * records. Built from the {@link OpenTelemetry} a component's settings take ({@link
 * OpenTelemetry#noop()} unless the launcher installs an SDK): off, every span is a no-op, nothing
 * is read from or written to a record, and nothing is allocated per record.
 */
public final class Tracing {
  private final OpenTelemetry openTelemetry;
  private final Tracer tracer;
  private final TextMapPropagator propagator;
  private final boolean enabled;

  private Tracing(OpenTelemetry openTelemetry, String scope) {
    this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
    this.tracer = openTelemetry.getTracer(scope);
    this.propagator = openTelemetry.getPropagators().getTextMapPropagator();
    this.enabled = openTelemetry != OpenTelemetry.noop();
  }

  /**
   * The tracing of the component whose instrumentation scope is {@code scope} (e.g. {@code
   * io.sluice.dispatcher}).
   */
  public static Tracing of(OpenTelemetry openTelemetry, String scope) {
    return new Tracing(openTelemetry, scope);
  }

  /** No tracing at all. */
  public static Tracing off() {
    return new Tracing(OpenTelemetry.noop(), "io.sluice");
  }

  public Tracer tracer() {
    return tracer;
  }

  public OpenTelemetry openTelemetry() {
    return openTelemetry;
  }

  /** Whether spans may be recorded (an SDK was given rather than the no-op). */
  public boolean enabled() {
    return enabled;
  }

  /**
   * The context of the record's remote parent span: the one its {@code traceparent} header names,
   * or {@link Context#root()} when it has none or tracing is off.
   */
  public Context parentOf(Headers headers) {
    if (!enabled || headers == null) {
      return Context.root();
    }
    return propagator.extract(Context.root(), headers, KafkaHeaders.GETTER);
  }

  /**
   * Writes the trace context of {@code context}'s span on {@code headers}, replacing what they
   * carried; leaves them as they are when the context has no valid span (tracing off).
   */
  public static void inject(Context context, Headers headers) {
    TraceContext trace = TraceContext.of(context);
    if (trace != null) {
      trace.writeTo(headers);
    }
  }

  /**
   * {@code headers} with the trace context of the current span, as a copy (Kafka Streams shares a
   * record's headers between the records forwarded from it); {@code headers} themselves when there
   * is no valid current span (tracing off).
   */
  public static Headers withCurrentTrace(Headers headers) {
    TraceContext trace = TraceContext.current();
    if (trace == null) {
      return headers;
    }
    Headers copy = new RecordHeaders(headers == null ? new Header[0] : headers.toArray());
    trace.writeTo(copy);
    return copy;
  }

  /** Kafka record headers as the propagator reads them (the last value of a repeated key). */
  static final class KafkaHeaders {
    static final TextMapGetter<Headers> GETTER =
        new TextMapGetter<>() {
          @Override
          public Iterable<String> keys(Headers carrier) {
            List<String> keys = new ArrayList<>();
            for (Header header : carrier) {
              keys.add(header.key());
            }
            return keys;
          }

          @Override
          public String get(Headers carrier, String key) {
            if (carrier == null) {
              return null;
            }
            Header header = carrier.lastHeader(key);
            return header == null || header.value() == null
                ? null
                : new String(header.value(), StandardCharsets.UTF_8);
          }
        };

    private KafkaHeaders() {}
  }
}
