package io.sluice.jobapi.http.internal;

import io.micronaut.context.annotation.Requires;
import io.micronaut.http.BasicHttpAttributes;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ResponseFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.sluice.jobapi.http.HttpMetrics;
import io.sluice.jobapi.http.JobApiBeans;

/** Times every request from the first filter to the response, for {@link HttpMetrics}. */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
@Requires(property = JobApiBeans.ENABLED, value = "true")
public final class RequestMetricsFilter {
  private static final String STARTED = "sluice.metrics.started";

  private final HttpMetrics metrics;

  public RequestMetricsFilter(HttpMetrics metrics) {
    this.metrics = metrics;
  }

  @RequestFilter
  void start(HttpRequest<?> request) {
    request.setAttribute(STARTED, System.nanoTime());
  }

  @ResponseFilter
  void record(HttpRequest<?> request, MutableHttpResponse<?> response) {
    Long started = request.getAttribute(STARTED, Long.class).orElse(null);
    if (started == null) {
      return;
    }
    metrics.record(
        request.getMethodName(),
        BasicHttpAttributes.getUriTemplate(request).orElse("unmatched"),
        response.code(),
        System.nanoTime() - started);
  }
}
