package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.VALID_BODY;
import static io.sluice.jobapi.JobApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.zaxxer.hikari.HikariDataSource;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.jobapi.store.DataSources;
import io.sluice.ratelimit.Admission;
import io.sluice.ratelimit.Demand;
import io.sluice.ratelimit.LimitKey;
import io.sluice.ratelimit.RateLimiter;
import io.sluice.ratelimit.RateLimits;
import io.sluice.ratelimit.postgres.PostgresLimitStore;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.JsonSerde;
import io.sluice.schemas.task.Lane;
import io.sluice.schemas.topic.TopicProvisioner;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code GET /v1/dashboard} and the page at {@code /ui} on a real job-api, PostgreSQL and Kafka:
 * the same keys as the rest of the API, a tenant's figures only its own, an operator's every
 * tenant's and the platform's lanes and rate limits, figures that move as jobs come and finish.
 */
class DashboardHttpTest {
  private static final JsonSerde<JobEvent> EVENTS = JsonSerde.of(JobEvent.class);
  private static final Duration WAIT = Duration.ofSeconds(30);

  private static JobApiFixture fixture;
  private static JobApiFixture.Client operator;

  @BeforeAll
  static void startApi() {
    fixture = JobApiFixture.start();
    operator = fixture.newClient();
    fixture.api.admin().setOperator(operator.tenant.id(), true);
  }

  @AfterAll
  static void stopApi() {
    fixture.close();
  }

  private static HttpResponse<String> dashboard(String key) {
    HttpRequest.Builder request = HttpRequest.newBuilder(fixture.url("/v1/dashboard")).GET();
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    return JobApiFixture.send(request);
  }

  private static JsonNode dashboardOf(JobApiFixture.Client client) {
    HttpResponse<String> response = dashboard(client.key);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  private static String submit(JobApiFixture.Client client) {
    HttpResponse<String> response = client.submit(VALID_BODY);
    assertThat(response.statusCode()).isEqualTo(202);
    return json(response).get("id").asText();
  }

  private static void finish(JobApiFixture.Client client, String jobId, JobStatus status) {
    boolean failed = status == JobStatus.FAILED;
    JobEvent event =
        new JobEvent(
            1,
            "ev_" + jobId,
            jobId,
            client.tenant.id(),
            status,
            failed ? null : "cba",
            new TokenUsage(12, 2),
            "openai",
            "gpt-4o-mini",
            failed ? null : new BigDecimal("0.000003"),
            failed ? ErrorInfo.permanent("provider_rejected", "context too long") : null,
            1,
            Instant.now(),
            Instant.now());
    KafkaTestClients.send(fixture.topics.jobsEvents().name(), jobId, EVENTS.toJson(event));
    await()
        .atMost(WAIT)
        .until(() -> json(client.get(jobId)).get("status").asText(), status.wireName()::equals);
  }

  private static long figure(JsonNode dashboard, String pointer) {
    return dashboard.at(pointer).asLong();
  }

  private static List<String> texts(JsonNode array, String field) {
    return StreamSupport.stream(array.spliterator(), false)
        .map(node -> node.path(field).asText())
        .toList();
  }

  @Test
  void shouldRefuseAMissingOrUnknownKeyWithThe401OfTheRestOfTheApi() {
    HttpResponse<String> missing = dashboard(null);
    HttpResponse<String> unknown = dashboard("sk_live_" + "x".repeat(40));

    assertThat(missing.statusCode()).isEqualTo(401);
    assertThat(unknown.statusCode()).isEqualTo(401);
    assertThat(json(missing).at("/error/type").asText()).isEqualTo("authentication_failed");
    assertThat(json(unknown).at("/error/type").asText()).isEqualTo("authentication_failed");
    assertThat(missing.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
  }

  @Test
  void shouldShowATenantOnlyItsOwnJobsAndFailures() {
    JobApiFixture.Client a = fixture.newClient();
    JobApiFixture.Client b = fixture.newClient();
    for (int i = 0; i < 3; i++) {
      submit(a);
    }
    submit(b);
    String failedOfB = submit(b);
    finish(b, failedOfB, JobStatus.FAILED);

    JsonNode ofA = dashboardOf(a);
    JsonNode ofB = dashboardOf(b);

    assertThat(ofA.get("scope").asText()).isEqualTo("tenant");
    assertThat(figure(ofA, "/jobs/last_hour/submitted")).isEqualTo(3);
    assertThat(figure(ofA, "/jobs/active/queued")).isEqualTo(3);
    assertThat(figure(ofA, "/jobs/last_hour/failed")).isZero();
    assertThat(ofA.get("recent_failures")).isEmpty();
    assertThat(ofA.toString()).doesNotContain(b.tenant.id(), b.tenant.name(), failedOfB);
    assertThat(figure(ofB, "/jobs/last_hour/submitted")).isEqualTo(2);
    assertThat(figure(ofB, "/jobs/active/queued")).isEqualTo(1);
    assertThat(figure(ofB, "/jobs/last_hour/failed")).isEqualTo(1);
    assertThat(ofB.get("recent_failures"))
        .singleElement()
        .satisfies(
            f -> {
              assertThat(f.get("job_id").asText()).isEqualTo(failedOfB);
              assertThat(f.get("tenant").asText()).isEqualTo(b.tenant.name());
              assertThat(f.get("error_code").asText()).isEqualTo("provider_rejected");
              assertThat(f.get("error_message").asText()).isEqualTo("context too long");
            });
    assertThat(ofA.at("/lanes/available").asBoolean()).isFalse();
    assertThat(ofA.at("/lanes/reason").asText()).contains("operator");
    assertThat(ofA.at("/rate_limits/available").asBoolean()).isFalse();
  }

  @Test
  void shouldShowAnOperatorEveryTenantsJobsAndFailures() {
    long before = figure(dashboardOf(operator), "/jobs/last_hour/submitted");
    JobApiFixture.Client a = fixture.newClient();
    JobApiFixture.Client b = fixture.newClient();
    submit(a);
    String failedOfB = submit(b);
    finish(b, failedOfB, JobStatus.FAILED);

    JsonNode all = dashboardOf(operator);

    assertThat(all.get("scope").asText()).isEqualTo("all_tenants");
    assertThat(figure(all, "/jobs/last_hour/submitted")).isGreaterThanOrEqualTo(before + 2);
    assertThat(texts(all.get("recent_failures"), "job_id")).contains(failedOfB);
    assertThat(texts(all.get("recent_failures"), "tenant")).contains(b.tenant.name());
    assertThat(dashboardOf(a).get("recent_failures")).isEmpty();
  }

  @Test
  void shouldCountJobsAsTheyAreSubmittedAndFinish() {
    JobApiFixture.Client client = fixture.newClient();
    String first = submit(client);
    JsonNode before = dashboardOf(client);

    submit(client);
    submit(client);
    finish(client, first, JobStatus.SUCCEEDED);
    JsonNode after = dashboardOf(client);

    assertThat(figure(before, "/jobs/last_hour/submitted")).isEqualTo(1);
    assertThat(figure(before, "/jobs/last_hour/succeeded")).isZero();
    assertThat(figure(after, "/jobs/last_hour/submitted")).isEqualTo(3);
    assertThat(figure(after, "/jobs/last_hour/succeeded")).isEqualTo(1);
    assertThat(figure(after, "/jobs/active/queued")).isEqualTo(2);
    JsonNode minutes = after.at("/jobs/per_minute");
    assertThat(minutes.size()).isBetween(60, 61);
    long perMinute = 0;
    long succeeded = 0;
    for (JsonNode minute : minutes) {
      perMinute += minute.get("submitted").asLong();
      succeeded += minute.at("/finished/succeeded").asLong();
    }
    assertThat(perMinute).isEqualTo(3);
    assertThat(succeeded).isEqualTo(1);
  }

  @Test
  void shouldShowAnOperatorTheLanesBacklogFromKafka() {
    String provider = "openai";
    List<String> lanes = new ArrayList<>();
    for (var lane : fixture.topics.realtimeLanes(provider)) {
      lanes.add(lane.name());
    }
    new TopicProvisioner(TestInfrastructure.kafka().bootstrapServers(), 2, (short) 1).ensure(lanes);
    String standard = fixture.topics.tasks(provider, Lane.STANDARD).name();
    for (int i = 0; i < 4; i++) {
      KafkaTestClients.send(standard, "task_" + i, "{}");
    }

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              JsonNode panel = dashboardOf(operator).get("lanes");
              assertThat(panel.get("available").asBoolean()).as(panel.toString()).isTrue();
              JsonNode row =
                  StreamSupport.stream(panel.get("data").spliterator(), false)
                      .filter(
                          r ->
                              r.get("provider").asText().equals(provider)
                                  && r.get("lane").asText().equals("standard"))
                      .findFirst()
                      .orElseThrow();
              assertThat(row.get("waiting").asLong()).isEqualTo(4);
              assertThat(row.get("oldest_age_seconds").asDouble()).isGreaterThanOrEqualTo(0);
            });
  }

  @Test
  void shouldShowAnOperatorTheRateLimitersUseFromTheirSharedState() {
    try (HikariDataSource pool =
        DataSources.create(
            fixture.database.jdbcUrl(),
            fixture.database.username(),
            fixture.database.password(),
            2)) {
      PostgresLimitStore store = new PostgresLimitStore(pool);
      store.migrate();
      LimitKey key = new LimitKey("openai", "default", "gpt-4o-mini");
      try (RateLimiter limiter =
          RateLimiter.builder().store(store).limits(key, RateLimits.openAi(10, 100_000)).build()) {
        for (int i = 0; i < 5; i++) {
          assertThat(limiter.tryReserve(key, new Demand(1, 1_000, 0)))
              .isInstanceOf(Admission.Granted.class);
        }

        JsonNode panel = dashboardOf(operator).get("rate_limits");

        assertThat(panel.get("available").asBoolean()).as(panel.toString()).isTrue();
        JsonNode requests = row(panel, "requests");
        assertThat(requests.get("provider").asText()).isEqualTo("openai");
        assertThat(requests.get("model").asText()).isEqualTo("gpt-4o-mini");
        assertThat(requests.get("period_seconds").asDouble()).isEqualTo(60);
        assertThat(requests.get("used_percent").asDouble()).isCloseTo(50, within(3.0));
        assertThat(requests.get("in_flight").asInt()).isEqualTo(5);
        assertThat(row(panel, "tokens").get("used_percent").asDouble()).isCloseTo(5, within(1.0));
      }
    }
  }

  private static JsonNode row(JsonNode panel, String meter) {
    return StreamSupport.stream(panel.get("data").spliterator(), false)
        .filter(r -> r.get("meter").asText().equals(meter))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no " + meter + " bucket in " + panel));
  }

  @Test
  void shouldServeThePageWithoutAKeyAndNothingElseUnderUi() {
    HttpResponse<String> page = JobApiFixture.send(HttpRequest.newBuilder(fixture.url("/ui")));
    HttpResponse<String> script =
        JobApiFixture.send(HttpRequest.newBuilder(fixture.url("/ui/dashboard.js")));
    HttpResponse<String> other =
        JobApiFixture.send(HttpRequest.newBuilder(fixture.url("/ui/..%2Fopenapi.yaml")));

    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.headers().firstValue("Content-Type"))
        .hasValueSatisfying(type -> assertThat(type).startsWith("text/html"));
    assertThat(page.body()).contains("<title>Sluice dashboard</title>", "/ui/dashboard.js");
    assertThat(script.statusCode()).isEqualTo(200);
    assertThat(script.body()).contains("/v1/dashboard");
    assertThat(other.statusCode()).isEqualTo(404);
  }
}
