package io.sluice.jobapi.http.internal;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.propagation.PropagatedContext;
import io.micronaut.core.propagation.ThreadPropagatedContextElement;
import io.micronaut.http.BasicHttpAttributes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Filter;
import io.micronaut.http.filter.HttpServerFilter;
import io.micronaut.http.filter.ServerFilterChain;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.sluice.jobapi.http.HttpTracing;
import io.sluice.jobapi.http.JobApiBeans;
import io.sluice.observability.tracing.SpanAttributes;
import io.sluice.observability.tracing.Tracing;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;

/**
 * A server span per request, child of the request's {@code traceparent} when it has one, current on
 * whichever thread runs the controller (so that a job's outbox record keeps its context). Named
 * {@code <method> <route template>}; attributes: method, route, status code. Off, it passes the
 * request on untouched.
 */
@Filter(Filter.MATCH_ALL_PATTERN)
@Requires(property = JobApiBeans.ENABLED, value = "true")
public final class TracingFilter implements HttpServerFilter {
  private static final TextMapGetter<HttpRequest<?>> HEADERS =
      new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpRequest<?> request) {
          return request.getHeaders().names();
        }

        @Override
        public String get(HttpRequest<?> request, String key) {
          return request == null ? null : request.getHeaders().get(key);
        }
      };

  private final Tracing tracing;

  public TracingFilter(HttpTracing tracing) {
    this.tracing = tracing.tracing();
  }

  @Override
  public Publisher<MutableHttpResponse<?>> doFilter(
      HttpRequest<?> request, ServerFilterChain chain) {
    if (!tracing.enabled()) {
      return chain.proceed(request);
    }
    Context parent =
        tracing
            .openTelemetry()
            .getPropagators()
            .getTextMapPropagator()
            .extract(Context.root(), request, HEADERS);
    Span span =
        tracing
            .tracer()
            .spanBuilder(request.getMethodName())
            .setSpanKind(SpanKind.SERVER)
            .setParent(parent)
            .setAttribute(SpanAttributes.HTTP_METHOD, request.getMethodName())
            .startSpan();
    Context context = parent.with(span);
    try (PropagatedContext.Scope ignored =
        PropagatedContext.getOrEmpty().plus(new CurrentSpan(context)).propagate()) {
      return Flux.from(chain.proceed(request))
          .doOnNext(response -> finish(span, request, response))
          .doOnError(failure -> span.setStatus(StatusCode.ERROR))
          .doFinally(signal -> span.end());
    }
  }

  private static void finish(Span span, HttpRequest<?> request, MutableHttpResponse<?> response) {
    String route = BasicHttpAttributes.getUriTemplate(request).orElse(null);
    if (route != null) {
      span.updateName(request.getMethodName() + " " + route);
      span.setAttribute(SpanAttributes.HTTP_ROUTE, route);
    }
    span.setAttribute(SpanAttributes.HTTP_STATUS, (long) response.code());
    if (response.code() >= 500) {
      span.setStatus(StatusCode.ERROR);
    }
  }

  @Override
  public int getOrder() {
    // right after the in-flight count: the span covers the other filters and the controller
    return HIGHEST_PRECEDENCE + 1;
  }

  /** Makes the request's span current on every thread Micronaut runs the request on. */
  private record CurrentSpan(Context context) implements ThreadPropagatedContextElement<Scope> {
    @Override
    public Scope updateThreadContext() {
      return context.makeCurrent();
    }

    @Override
    public void restoreThreadContext(Scope scope) {
      scope.close();
    }
  }
}
