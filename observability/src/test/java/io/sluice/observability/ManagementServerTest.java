package io.sluice.observability;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.Counter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class ManagementServerTest {
  private final HttpClient http = HttpClient.newHttpClient();
  private final HealthChecks liveness = new HealthChecks();
  private final HealthChecks readiness = new HealthChecks();
  private ProcessMeters meters;
  private ManagementServer server;

  @BeforeEach
  void start() throws Exception {
    meters = ProcessMeters.create();
    server = ManagementServer.start("127.0.0.1", 0, meters.registry(), liveness, readiness);
  }

  @AfterEach
  void stop() {
    server.close();
    meters.close();
  }

  @Test
  void metricsAreServedInThePrometheusTextFormatWithTheComponentsAndJvmSeries() throws Exception {
    Counter.builder("sluice.jobs.submitted").register(meters.registry()).increment(3);

    HttpResponse<String> response = get("/metrics", null);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValue("text/plain; version=0.0.4; charset=utf-8");
    assertThat(response.body())
        .contains("# TYPE sluice_jobs_submitted_total counter")
        .contains("sluice_jobs_submitted_total 3.0")
        .contains("jvm_memory_used_bytes")
        .contains("process_uptime_seconds");
  }

  @Test
  void metricsAreServedAsOpenMetricsWhenTheScraperAsksForIt() throws Exception {
    Counter.builder("sluice.jobs.submitted").register(meters.registry()).increment();

    HttpResponse<String> response =
        get("/metrics", "application/openmetrics-text; version=1.0.0,text/plain;q=0.5");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/openmetrics-text; version=1.0.0");
    assertThat(response.body()).contains("sluice_jobs_submitted_total 1.0").endsWith("# EOF\n");
  }

  @Test
  void otherPathsAndMethodsAreRefused() throws Exception {
    assertThat(get("/", null).statusCode()).isEqualTo(404);
    assertThat(get("/metricsx", null).statusCode()).isEqualTo(404);
    assertThat(get("/health", null).statusCode()).isEqualTo(404);
    assertThat(get("/health/ready/x", null).statusCode()).isEqualTo(404);
    HttpResponse<String> post =
        http.send(
            HttpRequest.newBuilder(url("/metrics"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(post.statusCode()).isEqualTo(405);
  }

  @Test
  void readinessIsDownNamingWhatIsNotReadyUntilEveryCheckIsUp() throws Exception {
    AtomicBoolean kafka = new AtomicBoolean(false);
    readiness.add("kafka", () -> Health.when(kafka.get(), "Kafka at k:9092 did not answer"));
    HealthChecks.Started workers = readiness.pending("workers");

    HttpResponse<String> down = get("/health/ready", null);
    assertThat(down.statusCode()).isEqualTo(503);
    assertThat(down.headers().firstValue("Content-Type")).hasValue("application/json");
    assertThat(down.body())
        .isEqualTo(
            "{\"status\":\"DOWN\",\"failing\":{\"kafka\":\"Kafka at k:9092 did not answer\","
                + "\"workers\":\"workers has not started\"}}");

    kafka.set(true);
    workers.started();
    HttpResponse<String> up = get("/health/ready", null);
    assertThat(up.statusCode()).isEqualTo(200);
    assertThat(up.body()).isEqualTo("{\"status\":\"UP\"}");

    workers.stopped();
    assertThat(get("/health/ready", null).body()).contains("\"workers\":\"workers is stopping\"");
  }

  @Test
  void livenessIsUpWithoutChecksAndDownWhenACheckThrows() throws Exception {
    assertThat(get("/health/live", null).statusCode()).isEqualTo(200);

    liveness.add(
        "loop",
        () -> {
          throw new IllegalStateException("dead");
        });

    HttpResponse<String> response = get("/health/live", null);
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.body()).contains("\"loop\":\"check failed: IllegalStateException\"");
    assertThat(get("/health/ready", null).statusCode()).isEqualTo(200);
  }

  private HttpResponse<String> get(String path, String accept) throws Exception {
    HttpRequest.Builder request = HttpRequest.newBuilder(url(path)).GET();
    if (accept != null) {
      request.header("Accept", accept);
    }
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  private URI url(String path) {
    return URI.create("http://127.0.0.1:" + server.port() + path);
  }
}
