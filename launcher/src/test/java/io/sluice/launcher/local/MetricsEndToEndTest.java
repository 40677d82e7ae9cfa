package io.sluice.launcher.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.launcher.client.SluiceClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The management endpoint of a running platform, as {@code sluice local} serves it for every
 * component on one port, on the real test Kafka broker and PostgreSQL: it is live and ready, and
 * the series an operator watches move as jobs run (submitted, finished by outcome, provider calls,
 * run time, requests by route).
 */
class MetricsEndToEndTest {
  private static final int JOBS = 6;
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dataDir;
  private static PostgresEndpoint database;
  private static LocalPlatform platform;
  private static SluiceClient client;
  private static HttpClient http;

  @BeforeAll
  static void startPlatform() {
    database = TestInfrastructure.newDatabase();
    platform =
        LocalPlatform.startOn(
            new LocalOptions(dataDir, 0, "unlimited", Duration.ofMillis(5), 4),
            database,
            TestInfrastructure.kafka(),
            TestInfrastructure.uniqueName("metrics"));
    client = new SluiceClient(platform.apiUrl(), platform.devApiKey());
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stopPlatform() {
    http.close();
    client.close();
    platform.close();
    database.close();
  }

  @Test
  void shouldBeLiveAndReadyOnceEveryComponentRunsOnKafkaAndPostgres() throws Exception {
    assertThat(get("/health/live").statusCode()).isEqualTo(200);
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              HttpResponse<String> ready = get("/health/ready");
              assertThat(ready.statusCode()).as(ready.body()).isEqualTo(200);
              assertThat(ready.body()).isEqualTo("{\"status\":\"UP\"}");
            });
    assertThat(get("/metricz").statusCode()).isEqualTo(404);
  }

  @Test
  void shouldMoveTheNamedSeriesAsJobsRun() throws Exception {
    Scrape before = scrape();
    assertThat(before.contentType()).startsWith("text/plain; version=0.0.4");
    assertThat(before.has("jvm_memory_used_bytes")).isTrue();
    assertThat(before.has("sluice_outbox_backlog")).isTrue();
    assertThat(before.has("sluice_batch_enqueued_tokens")).isTrue();

    List<String> ids = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) {
      ids.add(submit(i % 2 == 0 ? "gpt-4o-mini" : "claude-haiku-4-5", "reverse: metrics " + i));
    }
    for (String id : ids) {
      assertThat(client.job(id, WAIT).get("status").asText()).isEqualTo("succeeded");
    }

    // the job events projection counts a finish once its transaction ran: wait for the last one
    await()
        .atMost(WAIT)
        .untilAsserted(
            () ->
                assertThat(
                        scrape().sum("sluice_jobs_finished_total", "outcome=\"succeeded\"")
                            - before.sum("sluice_jobs_finished_total", "outcome=\"succeeded\""))
                    .isEqualTo(JOBS));
    Scrape after = scrape();
    assertThat(grew(before, after, "sluice_jobs_submitted_total")).isEqualTo(JOBS);
    assertThat(grew(before, after, "sluice_tasks_dispatched_total", "lane=\"standard\""))
        .isEqualTo(JOBS);
    assertThat(
            grew(
                before,
                after,
                "sluice_task_results_processed_total",
                "outcome=\"succeeded\"",
                "handling=\"recorded\""))
        .isEqualTo(JOBS);
    assertThat(
            grew(
                before,
                after,
                "sluice_provider_calls_total",
                "provider=\"openai\"",
                "model=\"gpt-4o-mini\"",
                "outcome=\"success\""))
        .isEqualTo(JOBS / 2);
    assertThat(
            grew(
                before,
                after,
                "sluice_provider_calls_total",
                "provider=\"anthropic\"",
                "outcome=\"success\""))
        .isEqualTo(JOBS / 2);
    assertThat(grew(before, after, "sluice_provider_call_seconds_count")).isEqualTo(JOBS);
    assertThat(grew(before, after, "sluice_task_run_seconds_count", "outcome=\"succeeded\""))
        .isEqualTo(JOBS);
    assertThat(grew(before, after, "sluice_task_queued_to_started_seconds_count")).isEqualTo(JOBS);
    assertThat(grew(before, after, "sluice_ratelimit_wait_seconds_count")).isEqualTo(JOBS);
    assertThat(
            grew(
                before,
                after,
                "sluice_http_server_requests_seconds_count",
                "method=\"POST\"",
                "route=\"/v1/jobs\"",
                "status=\"2xx\""))
        .isEqualTo(JOBS);
    assertThat(after.sum("sluice_provider_rate_limited_total")).isZero();
    assertThat(after.has("sluice_task_run_seconds_bucket")).isTrue();
    assertThat(after.text()).doesNotContain(ids.getFirst());
  }

  @Test
  void shouldServeOpenMetricsWhenAskedForIt() throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(url("/metrics"))
                .header("Accept", "application/openmetrics-text; version=1.0.0")
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(response.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/openmetrics-text");
    assertThat(response.body()).contains("sluice_jobs_submitted_total").endsWith("# EOF\n");
  }

  private static double grew(Scrape before, Scrape after, String series, String... labels) {
    return after.sum(series, labels) - before.sum(series, labels);
  }

  private static String submit(String model, String prompt) {
    return client
        .submit(
            Map.of("model", model, "messages", List.of(Map.of("role", "user", "content", prompt))))
        .get("id")
        .asText();
  }

  private static Scrape scrape() throws Exception {
    HttpResponse<String> response = get("/metrics");
    assertThat(response.statusCode()).isEqualTo(200);
    return new Scrape(response.headers().firstValue("Content-Type").orElse(""), response.body());
  }

  private static HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(url(path)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  private static URI url(String path) {
    return URI.create(platform.managementUrl() + path);
  }

  /** One scrape in the Prometheus text format. */
  private record Scrape(String contentType, String text) {
    boolean has(String series) {
      return text.lines().anyMatch(line -> name(line).equals(series));
    }

    /** The sum of the samples of {@code series} whose labels include every one given. */
    double sum(String series, String... labels) {
      return text.lines()
          .filter(line -> !line.startsWith("#") && name(line).equals(series))
          .filter(line -> List.of(labels).stream().allMatch(line::contains))
          .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
          .sum();
    }

    private static String name(String line) {
      int end = line.indexOf('{');
      return end >= 0 ? line.substring(0, end) : line.split(" ", 2)[0];
    }
  }
}
