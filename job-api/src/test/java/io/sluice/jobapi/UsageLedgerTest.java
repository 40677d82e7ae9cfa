package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.job.Placement.Stage;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.JsonSerde;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The cost ledger over real job events: every cost the projection stores in a job row is booked in
 * the same transaction, so {@code GET /v1/usage} equals the sum of the jobs' own {@code cost_usd},
 * exactly, per tenant and day, and a tenant sees only its own usage.
 */
class UsageLedgerTest {
  private static final JsonSerde<JobEvent> EVENTS = JsonSerde.of(JobEvent.class);
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String BODY =
      "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"reverse: abc\"}]}";

  private static JobApiFixture fixture;

  @BeforeAll
  static void startApi() {
    fixture = JobApiFixture.start();
  }

  @AfterAll
  static void stopApi() {
    fixture.close();
  }

  private static String submit(JobApiFixture.Client client) {
    return json(client.submit(BODY)).get("id").asText();
  }

  private static void publish(JobEvent event) {
    KafkaTestClients.send(fixture.topics.jobsEvents().name(), event.jobId(), EVENTS.toJson(event));
  }

  private static JobEvent result(
      JobApiFixture.Client client,
      String jobId,
      String eventId,
      JobStatus status,
      String provider,
      String model,
      TokenUsage usage,
      BigDecimal cost,
      BigDecimal realtimeCost,
      Instant finishedAt) {
    Placement placement =
        realtimeCost == null
            ? null
            : new Placement(Stage.IN_PROVIDER_BATCH, "batch_x", 1, finishedAt);
    return new JobEvent(
        1,
        eventId,
        jobId,
        client.tenant.id(),
        status,
        status == JobStatus.SUCCEEDED ? "cba" : null,
        usage,
        provider,
        model,
        cost,
        status == JobStatus.FAILED ? ErrorInfo.permanent("provider_rejected", "refused") : null,
        1,
        finishedAt.minusSeconds(2),
        finishedAt,
        placement,
        realtimeCost);
  }

  private static HttpResponse<String> usage(JobApiFixture.Client client, String query) {
    HttpRequest.Builder request = HttpRequest.newBuilder(fixture.url("/v1/usage" + query)).GET();
    if (client != null) {
      request.header("Authorization", "Bearer " + client.key);
    }
    return JobApiFixture.send(request);
  }

  private static BigDecimal sumOfJobCosts(JobApiFixture.Client client, List<String> ids) {
    return ids.stream()
        .map(id -> json(client.get(id)))
        .filter(job -> job.has("cost_usd"))
        .map(job -> job.get("cost_usd").decimalValue())
        .reduce(BigDecimal.ZERO, BigDecimal::add);
  }

  @Test
  void shouldEqualTheSumOfTheJobsCostsExactlyPerTenantDayProviderAndModel() {
    JobApiFixture.Client client = fixture.newClient();
    Instant now = Instant.now();
    Random random = new Random(7);
    List<String> ids = new ArrayList<>();
    BigDecimal expectedSaved = BigDecimal.ZERO;
    for (int i = 0; i < 30; i++) {
      String id = submit(client);
      ids.add(id);
      boolean anthropic = i % 3 == 0;
      // amounts with ten decimals, the column's scale: any rounding would show
      BigDecimal cost = BigDecimal.valueOf(1 + random.nextInt(999_999), 10);
      BigDecimal realtime = i % 2 == 0 ? cost.multiply(BigDecimal.TWO) : null;
      if (realtime != null) {
        expectedSaved = expectedSaved.add(cost);
      }
      publish(
          result(
              client,
              id,
              "ev_" + i,
              i % 10 == 9 ? JobStatus.FAILED : JobStatus.SUCCEEDED,
              anthropic ? "anthropic" : "openai",
              anthropic ? "claude-haiku-4-5" : "gpt-4o-mini",
              new TokenUsage(100 + i, 10 + i),
              cost,
              realtime,
              now));
    }
    // a late cost on a finished job (a duplicate call of a task that fell back to realtime)
    String late = ids.get(1);
    BigDecimal lateCost = json(awaitEnded(client, late)).get("cost_usd").decimalValue();
    publish(
        result(
            client,
            late,
            late + ".cost.1",
            JobStatus.SUCCEEDED,
            "openai",
            "gpt-4o-mini",
            new TokenUsage(500, 50),
            lateCost.add(new BigDecimal("0.0123456789")),
            null,
            now));
    await()
        .atMost(WAIT)
        .until(
            () ->
                json(client.get(late)).get("cost_usd").decimalValue().compareTo(lateCost) > 0
                    && ids.stream().allMatch(id -> ended(json(client.get(id)))));
    BigDecimal expected = sumOfJobCosts(client, ids);

    JsonNode report = json(usage(client, ""));
    JsonNode total = report.get("total");
    assertThat(total.get("cost_usd").decimalValue()).isEqualByComparingTo(expected);
    assertThat(total.get("jobs").asLong()).isEqualTo(30);
    assertThat(total.get("saved_usd").decimalValue()).isEqualByComparingTo(expectedSaved);
    assertThat(report.get("group_by").toString()).isEqualTo("[\"day\",\"provider\",\"model\"]");
    List<JsonNode> rows = StreamSupport.stream(report.get("data").spliterator(), false).toList();
    assertThat(rows)
        .extracting(row -> row.get("model").asText())
        .containsExactly("claude-haiku-4-5", "gpt-4o-mini");
    assertThat(rows)
        .allSatisfy(row -> assertThat(row.get("day").asText()).isEqualTo(today(now).toString()));
    assertThat(
            rows.stream()
                .map(row -> row.get("cost_usd").decimalValue())
                .reduce(BigDecimal.ZERO, BigDecimal::add))
        .isEqualByComparingTo(expected);
    assertThat(rows.get(0).get("jobs").asLong()).isEqualTo(10);
    Object storedSum =
        fixture
            .query("SELECT sum(cost_usd) FROM jobs WHERE tenant_id = ?", client.tenant.id())
            .getFirst()
            .getFirst();
    assertThat(json(usage(client, "?group_by=")).at("/total/cost_usd").decimalValue())
        .isEqualByComparingTo((BigDecimal) storedSum);
  }

  @Test
  void shouldShowATenantOnlyItsOwnUsage() {
    JobApiFixture.Client owner = fixture.newClient();
    JobApiFixture.Client other = fixture.newClient();
    String id = submit(owner);
    publish(
        result(
            owner,
            id,
            "ev_own",
            JobStatus.SUCCEEDED,
            "openai",
            "gpt-4o-mini",
            new TokenUsage(10, 1),
            new BigDecimal("0.25"),
            null,
            Instant.now()));
    await()
        .atMost(WAIT)
        .until(() -> json(usage(owner, "?group_by=")).at("/total/jobs").asLong() == 1);

    JsonNode others = json(usage(other, "?group_by="));
    assertThat(others.get("data")).isEmpty();
    assertThat(others.at("/total/cost_usd").decimalValue()).isEqualByComparingTo("0");
    assertThat(others.at("/total/jobs").asLong()).isZero();
  }

  @Test
  void shouldShowAnOperatorEveryTenantsUsageByTenantAndRefuseItToOtherKeys() {
    JobApiFixture.Client first = fixture.newClient();
    JobApiFixture.Client second = fixture.newClient();
    JobApiFixture.Client operator = fixture.newClient();
    fixture.api.admin().setOperator(operator.tenant.id(), true);
    Instant now = Instant.now();
    for (JobApiFixture.Client client : List.of(first, second, second)) {
      String id = submit(client);
      publish(
          result(
              client,
              id,
              "ev_" + id,
              JobStatus.SUCCEEDED,
              "openai",
              "gpt-4o-mini",
              new TokenUsage(10, 1),
              new BigDecimal("0.5"),
              null,
              now));
    }
    await()
        .atMost(WAIT)
        .until(() -> json(usage(second, "?group_by=")).at("/total/jobs").asLong() == 2);
    String day = "?from=" + today(now) + "&to=" + today(now);

    JsonNode all = json(usage(operator, day + "&group_by=tenant"));

    Map<String, Long> jobsByTenant = new java.util.HashMap<>();
    all.get("data")
        .forEach(row -> jobsByTenant.put(row.get("tenant").asText(), row.get("jobs").asLong()));
    assertThat(jobsByTenant)
        .containsEntry(first.tenant.id(), 1L)
        .containsEntry(second.tenant.id(), 2L);
    assertThat(all.at("/total/jobs").asLong()).isGreaterThanOrEqualTo(3);
    HttpResponse<String> refused = usage(first, day + "&group_by=tenant");
    assertThat(refused.statusCode()).isEqualTo(400);
    assertThat(refused.body()).contains("\"group_by\"").contains("operator");
    assertThat(json(usage(first, day + "&group_by=")).at("/total/jobs").asLong()).isEqualTo(1);
  }

  @Test
  void shouldRefuseBadParametersNamingThemAndAnUnknownKey() {
    JobApiFixture.Client client = fixture.newClient();

    HttpResponse<String> badDay = usage(client, "?from=yesterday&group_by=client");
    assertThat(badDay.statusCode()).isEqualTo(400);
    assertThat(badDay.body()).contains("\"from\"").contains("\"group_by\"");
    HttpResponse<String> tooLong = usage(client, "?from=2020-01-01&to=2030-01-01");
    assertThat(tooLong.statusCode()).isEqualTo(400);
    assertThat(tooLong.body()).contains("\"to\"").contains("366");
    assertThat(usage(null, "").statusCode()).isEqualTo(401);
  }

  private static HttpResponse<String> awaitEnded(JobApiFixture.Client client, String id) {
    await().atMost(WAIT).until(() -> ended(json(client.get(id))));
    return client.get(id);
  }

  private static boolean ended(JsonNode job) {
    String status = job.get("status").asText();
    return status.equals("succeeded") || status.equals("failed");
  }

  private static LocalDate today(Instant now) {
    return LocalDate.ofInstant(now, ZoneOffset.UTC);
  }
}
