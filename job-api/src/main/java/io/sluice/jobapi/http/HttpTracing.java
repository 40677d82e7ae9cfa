package io.sluice.jobapi.http;

import io.opentelemetry.api.OpenTelemetry;
import io.sluice.observability.tracing.Tracing;

/**
 * job-api's tracing, for its HTTP server: a server span per API request, continuing the request's
 * {@code traceparent}. Off ({@link OpenTelemetry#noop()}), requests pass untouched.
 */
public final class HttpTracing {
  private final Tracing tracing;

  public HttpTracing(OpenTelemetry openTelemetry) {
    this.tracing = Tracing.of(openTelemetry, "io.sluice.job-api");
  }

  public Tracing tracing() {
    return tracing;
  }
}
