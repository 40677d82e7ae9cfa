package io.sluice.jobapi.http;

import io.micrometer.core.instrument.Meter.MeterProvider;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * {@code sluice_http_server_requests_seconds}: the API's requests by method, route template ({@code
 * /v1/jobs/{id}}, never the path itself) and status class ({@code 2xx} ... {@code 5xx}). Requests
 * that match no route count under the route {@code unmatched}.
 */
public final class HttpMetrics {
  private static final String[] STATUS_CLASSES = {"1xx", "1xx", "2xx", "3xx", "4xx", "5xx"};

  private final MeterProvider<Timer> requests;

  public HttpMetrics(MeterRegistry registry) {
    requests =
        Timer.builder("sluice.http.server.requests")
            .description("HTTP requests to the job API, by method, route template and status class")
            .serviceLevelObjectives(
                Duration.ofMillis(5),
                Duration.ofMillis(10),
                Duration.ofMillis(25),
                Duration.ofMillis(50),
                Duration.ofMillis(100),
                Duration.ofMillis(250),
                Duration.ofMillis(500),
                Duration.ofSeconds(1),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30))
            .withRegistry(registry);
  }

  /** Records one answered request that took {@code nanos}. */
  public void record(String method, String route, int status, long nanos) {
    requests
        .withTags("method", method, "route", route, "status", statusClass(status))
        .record(nanos, TimeUnit.NANOSECONDS);
  }

  static String statusClass(int status) {
    int hundreds = status / 100;
    return hundreds >= 1 && hundreds <= 5 ? STATUS_CLASSES[hundreds] : "other";
  }
}
