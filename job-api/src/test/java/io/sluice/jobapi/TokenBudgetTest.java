package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.jobapi.budget.BudgetPeriod;
import io.sluice.jobapi.budget.BudgetStatus;
import io.sluice.jobapi.budget.TokenBudget;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.JsonSerde;
import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Tenant token budgets and {@code max_cost_usd} on a real job-api (PostgreSQL, Kafka): refusals
 * (429 naming the budget and its reset, 422 for a cost cap) store and publish nothing; a
 * reservation is replaced by the actual tokens when the job ends; concurrent submissions on two API
 * instances never reserve past the budget; the day and the month roll over on the API's clock. The
 * outbox relay is off, so the outbox shows exactly what would have been published.
 */
class TokenBudgetTest {
  private static final JsonSerde<JobEvent> EVENTS = JsonSerde.of(JobEvent.class);
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String BODY =
      "{\"model\":\"gpt-4o-mini\",\"max_tokens\":100,"
          + "\"messages\":[{\"role\":\"user\",\"content\":\"reverse: abc\"}]}";
  private static final String BOUNDARY = "sluice-budget-boundary";

  private static final ShiftedClock CLOCK = new ShiftedClock();
  private static JobApiFixture fixture;

  /** What one {@link #BODY} job reserves. */
  private static long estimate;

  /** The real time moved by a settable offset: the API keeps running while days pass. */
  static final class ShiftedClock extends Clock {
    private volatile Duration offset = Duration.ZERO;

    void setNow(Instant now) {
      offset = Duration.between(Instant.now(), now);
    }

    void advance(Duration by) {
      offset = offset.plus(by);
    }

    @Override
    public Instant instant() {
      return Instant.now().plus(offset);
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @BeforeAll
  static void startApi() {
    fixture =
        JobApiFixture.start(
            s -> s.clock(CLOCK).outboxRelayEnabled(false).webhooks(WebhookFixture.local()));
    JobApiFixture.Client probe = budgeted(new TokenBudget(1_000_000_000L, null));
    String id = accepted(probe.submit(BODY));
    estimate = fixture.count("SELECT tokens FROM budget_reservations WHERE job_id = ?", id);
    assertThat(estimate).isGreaterThan(100);
  }

  @AfterAll
  static void stopApi() {
    fixture.close();
  }

  private static JobApiFixture.Client budgeted(TokenBudget budget) {
    JobApiFixture.Client client = fixture.newClient();
    fixture.api.budgets().setBudget(client.tenant.id(), budget);
    return client;
  }

  private static String accepted(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return json(response).get("id").asText();
  }

  private static BudgetStatus status(JobApiFixture.Client client, BudgetPeriod period) {
    return fixture.api.budgets().statusOf(client.tenant.id()).stream()
        .filter(s -> s.period() == period)
        .findFirst()
        .orElseThrow();
  }

  private static long outbox() {
    return fixture.count("SELECT count(*) FROM outbox");
  }

  @Test
  void shouldRefuseASubmissionOverTheDailyBudgetWith429NamingItsResetAndStoreNothing() {
    JobApiFixture.Client client = budgeted(new TokenBudget(2 * estimate + estimate / 2, null));
    accepted(client.submit(BODY));
    accepted(client.submit(BODY));
    long outboxBefore = outbox();
    Instant now = CLOCK.instant();

    HttpResponse<String> refused = client.submit(BODY);

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(429);
    JsonNode body = json(refused);
    assertThat(body.at("/error/type").asText()).isEqualTo("budget_exceeded");
    assertThat(body.at("/error/message").asText()).contains("daily token budget");
    assertThat(body.at("/budget/period").asText()).isEqualTo("daily");
    assertThat(body.at("/budget/limit_tokens").asLong()).isEqualTo(2 * estimate + estimate / 2);
    assertThat(body.at("/budget/used_tokens").asLong()).isZero();
    assertThat(body.at("/budget/reserved_tokens").asLong()).isEqualTo(2 * estimate);
    assertThat(body.at("/budget/requested_tokens").asLong()).isEqualTo(estimate);
    Instant resetsAt = BudgetPeriod.DAILY.resetsAt(BudgetPeriod.dayOf(now));
    assertThat(Instant.parse(body.at("/budget/resets_at").asText())).isEqualTo(resetsAt);
    long retryAfter = Long.parseLong(refused.headers().firstValue("Retry-After").orElseThrow());
    assertThat(retryAfter)
        .isBetween(
            Duration.between(now, resetsAt).toSeconds() - 30,
            Duration.between(now, resetsAt).toSeconds() + 1);
    assertThat(client.jobCount()).isEqualTo(2);
    assertThat(outbox()).isEqualTo(outboxBefore);
    assertThat(status(client, BudgetPeriod.DAILY).reservedTokens()).isEqualTo(2 * estimate);
  }

  @Test
  void shouldReplaceTheReservationWithTheActualTokensWhenTheJobEnds() {
    JobApiFixture.Client client = budgeted(new TokenBudget(1_000_000L, 10_000_000L));
    String id = accepted(client.submit(BODY));
    assertThat(status(client, BudgetPeriod.DAILY).reservedTokens()).isEqualTo(estimate);
    assertThat(status(client, BudgetPeriod.MONTHLY).reservedTokens()).isEqualTo(estimate);

    publish(finished(client, id, "ev_1", new TokenUsage(7, 3), "0.00001"));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> {
              for (BudgetPeriod period : BudgetPeriod.values()) {
                assertThat(status(client, period).usedTokens()).isEqualTo(10);
                assertThat(status(client, period).reservedTokens()).isZero();
              }
            });

    // a late cost of the ended job (a duplicate call) adds its tokens, never the reservation again
    publish(finished(client, id, id + ".cost.1", new TokenUsage(9, 4), "0.00002"));

    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(status(client, BudgetPeriod.DAILY).usedTokens()).isEqualTo(13));
    assertThat(status(client, BudgetPeriod.DAILY).reservedTokens()).isZero();
  }

  @Test
  void shouldNeverReservePastTheBudgetUnderConcurrentSubmissionsOnTwoInstances() throws Exception {
    long budget = 10 * estimate + estimate / 2;
    JobApiFixture.Client client = budgeted(new TokenBudget(budget, null));
    JobApi other = fixture.startAnother(s -> s.httpPort(0).eventsConsumerEnabled(false));
    List<String> ids = new ArrayList<>();
    int refused = 0;
    ExecutorService threads = Executors.newFixedThreadPool(8);
    try {
      List<Future<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        JobApi target = i % 2 == 0 ? fixture.api : other;
        answers.add(threads.submit(() -> client.submitTo(target, BODY)));
      }
      for (Future<HttpResponse<String>> answer : answers) {
        HttpResponse<String> response = answer.get(60, TimeUnit.SECONDS);
        if (response.statusCode() == 202) {
          ids.add(json(response).get("id").asText());
        } else {
          assertThat(response.statusCode()).as(response.body()).isEqualTo(429);
          refused++;
        }
      }
    } finally {
      threads.shutdownNow();
      other.close();
    }

    assertThat(ids).hasSize(10);
    assertThat(refused).isEqualTo(30);
    assertThat(status(client, BudgetPeriod.DAILY).countedTokens()).isEqualTo(10 * estimate);

    // Every job ends: nine use what they reserved, one overshoots its estimate by one call's worth
    // (a repair call). The total stays within the budget plus that one call.
    long overshoot = 600;
    for (int i = 0; i < ids.size(); i++) {
      long output = 100 + (i == 0 ? overshoot : 0);
      publish(
          finished(client, ids.get(i), "ev_c" + i, new TokenUsage(estimate - 100, output), "0"));
    }
    await()
        .atMost(WAIT)
        .untilAsserted(
            () -> assertThat(status(client, BudgetPeriod.DAILY).reservedTokens()).isZero());
    long used = status(client, BudgetPeriod.DAILY).usedTokens();
    assertThat(used).isEqualTo(10 * estimate + overshoot).isLessThanOrEqualTo(budget + overshoot);
    assertThat(client.submit(BODY).statusCode()).isEqualTo(429);
  }

  @Test
  void shouldStartANewDayAndANewMonthOnTheClock() {
    JobApiFixture.Client client =
        budgeted(new TokenBudget(2 * estimate + estimate / 2, 3 * estimate + estimate / 2));
    try {
      CLOCK.setNow(Instant.parse("2026-01-30T23:58:00Z"));
      accepted(client.submit(BODY));
      accepted(client.submit(BODY));
      HttpResponse<String> daily = client.submit(BODY);
      assertThat(daily.statusCode()).isEqualTo(429);
      assertThat(json(daily).at("/budget/period").asText()).isEqualTo("daily");
      assertThat(json(daily).at("/budget/resets_at").asText()).isEqualTo("2026-01-31T00:00:00Z");

      CLOCK.advance(Duration.ofMinutes(3)); // 2026-01-31T00:01Z: a new day, the same month
      accepted(client.submit(BODY));
      HttpResponse<String> monthly = client.submit(BODY);
      assertThat(monthly.statusCode()).as(monthly.body()).isEqualTo(429);
      assertThat(json(monthly).at("/budget/period").asText()).isEqualTo("monthly");
      assertThat(json(monthly).at("/budget/reserved_tokens").asLong()).isEqualTo(3 * estimate);
      assertThat(json(monthly).at("/budget/resets_at").asText()).isEqualTo("2026-02-01T00:00:00Z");

      CLOCK.advance(Duration.ofDays(1)); // 2026-02-01T00:01Z: a new month
      accepted(client.submit(BODY));
      assertThat(status(client, BudgetPeriod.MONTHLY).reservedTokens()).isEqualTo(estimate);
      assertThat(client.jobCount()).isEqualTo(4);
    } finally {
      CLOCK.setNow(Instant.now());
    }
  }

  @Test
  void shouldCheckMaxCostUsdBeforeStoringAnything() {
    JobApiFixture.Client client = fixture.newClient();
    long outboxBefore = outbox();
    for (String bad : List.of("0", "-1", "\"1\"", "true")) {
      HttpResponse<String> response = client.submit(withCost(bad));
      assertThat(response.statusCode()).as(bad).isEqualTo(400);
      assertThat(json(response).at("/error/fields/0/field").asText()).isEqualTo("max_cost_usd");
    }

    HttpResponse<String> tooLow = client.submit(withCost("0.0000001"));

    assertThat(tooLow.statusCode()).as(tooLow.body()).isEqualTo(422);
    assertThat(json(tooLow).at("/error/type").asText()).isEqualTo("limit_exceeded");
    assertThat(json(tooLow).at("/error/fields/0/field").asText()).isEqualTo("max_cost_usd");
    assertThat(json(tooLow).at("/error/message").asText())
        .contains("at the realtime price, more than max_cost_usd 0.0000001");
    assertThat(client.jobCount()).isZero();
    assertThat(outbox()).isEqualTo(outboxBefore);

    String id = accepted(client.submit(withCost("5")));
    assertThat(
            fixture.count(
                "SELECT count(*) FROM jobs WHERE id = ? AND request::text LIKE '%max_cost_usd%'",
                id))
        .isEqualTo(1);
  }

  @Test
  void shouldReserveABulkBatchWholeOrFailItWithNoJob() {
    JobApiFixture.Client client = budgeted(new TokenBudget(200L, null));
    String fileId = json(upload(client, lines(3))).get("id").asText();
    long outboxBefore = outbox();

    HttpResponse<String> refused = createBatch(client, fileId);

    assertThat(refused.statusCode()).as(refused.body()).isEqualTo(200);
    JsonNode failed = client.validated(json(refused).get("id").asText());
    assertThat(failed.get("status").asText()).isEqualTo("failed");
    // OpenAI's code for a batch over the organisation's enqueued token limit
    assertThat(failed.at("/errors/data/0/code").asText()).isEqualTo("token_limit_exceeded");
    String message = failed.at("/errors/data/0/message").asText();
    assertThat(message).contains("daily token budget of 200 tokens");
    Matcher estimated = Pattern.compile("estimated at (\\d+) tokens").matcher(message);
    assertThat(estimated.find()).as(message).isTrue();
    long requested = Long.parseLong(estimated.group(1));
    assertThat(requested).isGreaterThan(200);
    assertThat(client.jobCount()).isZero();
    assertThat(outbox()).isEqualTo(outboxBefore);
    assertThat(status(client, BudgetPeriod.DAILY).reservedTokens()).isZero();

    fixture.api.budgets().setBudget(client.tenant.id(), new TokenBudget(1_000_000L, null));
    HttpResponse<String> created = createBatch(client, fileId);

    assertThat(created.statusCode()).as(created.body()).isEqualTo(200);
    assertThat(client.validated(json(created).get("id").asText()).get("status").asText())
        .isEqualTo("in_progress");
    assertThat(client.jobCount()).isEqualTo(3);
    long reserved =
        fixture.count(
            "SELECT sum(tokens) FROM budget_reservations WHERE tenant_id = ?", client.tenant.id());
    assertThat(status(client, BudgetPeriod.DAILY).reservedTokens())
        .isEqualTo(reserved)
        .isEqualTo(requested);
  }

  private static String withCost(String cost) {
    return BODY.substring(0, BODY.length() - 1) + ",\"max_cost_usd\":" + cost + "}";
  }

  private static void publish(JobEvent event) {
    KafkaTestClients.send(fixture.topics.jobsEvents().name(), event.jobId(), EVENTS.toJson(event));
  }

  private static JobEvent finished(
      JobApiFixture.Client client, String jobId, String eventId, TokenUsage usage, String cost) {
    Instant finishedAt = CLOCK.instant();
    return new JobEvent(
        1,
        eventId,
        jobId,
        client.tenant.id(),
        JobStatus.SUCCEEDED,
        "cba",
        usage,
        "openai",
        "gpt-4o-mini",
        new BigDecimal(cost),
        null,
        1,
        finishedAt.minusSeconds(1),
        finishedAt,
        null,
        null);
  }

  private static byte[] lines(int count) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < count; i++) {
      out.append("{\"custom_id\":\"line-")
          .append(i)
          .append("\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":")
          .append(BODY)
          .append("}\n");
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static HttpResponse<String> upload(JobApiFixture.Client client, byte[] content) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    body.writeBytes(
        ("--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"in.jsonl\""
                + "\r\nContent-Type: application/jsonl\r\n\r\n")
            .getBytes(StandardCharsets.UTF_8));
    body.writeBytes(content);
    body.writeBytes(
        ("\r\n--"
                + BOUNDARY
                + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--"
                + BOUNDARY
                + "--\r\n")
            .getBytes(StandardCharsets.UTF_8));
    return JobApiFixture.send(
        HttpRequest.newBuilder(fixture.url("/v1/files"))
            .header("Authorization", "Bearer " + client.key)
            .header("Content-Type", "multipart/form-data; boundary=" + BOUNDARY)
            .POST(HttpRequest.BodyPublishers.ofByteArray(body.toByteArray())));
  }

  private static HttpResponse<String> createBatch(JobApiFixture.Client client, String fileId) {
    return JobApiFixture.send(
        HttpRequest.newBuilder(fixture.url("/v1/batches"))
            .header("Authorization", "Bearer " + client.key)
            .header("Content-Type", "application/json")
            .POST(
                HttpRequest.BodyPublishers.ofString(
                    "{\"input_file_id\":\""
                        + fileId
                        + "\",\"endpoint\":\"/v1/chat/completions\",\"completion_window\":\"24h\"}")));
  }
}
