package io.sluice.jobapi;

import static io.sluice.jobapi.JobApiFixture.json;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.jobapi.cache.CacheSettings;
import io.sluice.schemas.job.JobEvent;
import io.sluice.schemas.job.JobStatus;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.JsonSerde;
import io.sluice.testing.ManualClock;
import java.math.BigDecimal;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The exact-match result cache on a real job-api (PostgreSQL, Kafka): a repeated deterministic job
 * is answered at once from an earlier job's answer and never reaches {@code sluice.jobs.submitted};
 * answers stay within their tenant, expire with the TTL on a settable clock, and only deterministic
 * requests are cached (docs/cache.md). The end-to-end check that no provider call is made is
 * launcher's {@code ResultCacheLocalTest}.
 */
class ResultCacheTest {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final Duration TTL = Duration.ofHours(1);
  private static final JsonSerde<JobEvent> EVENTS = JsonSerde.of(JobEvent.class);
  private static final ManualClock CLOCK = new ManualClock(Instant.now());
  private static JobApiFixture fixture;

  @BeforeAll
  static void start() {
    fixture =
        JobApiFixture.start(
            b ->
                b.clock(CLOCK)
                    .cache(
                        CacheSettings.defaults()
                            .withDefaultTtl(TTL)
                            .withPurgeInterval(Duration.ofMillis(200))));
  }

  @AfterAll
  static void stop() {
    fixture.close();
  }

  private static String body(String prompt, String extra) {
    return "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\""
        + prompt
        + "\"}]"
        + extra
        + "}";
  }

  private static String deterministic(String prompt) {
    return body(prompt, ",\"temperature\":0");
  }

  private static JsonNode submit(JobApiFixture.Client client, String body) {
    HttpResponse<String> response = client.submit(body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
    return json(response);
  }

  /** Submits {@code body}, reports the job succeeded with {@code output} and waits for it. */
  private static String answered(JobApiFixture.Client client, String body, String output) {
    String id = submit(client, body).get("id").asText();
    end(client, id, JobStatus.SUCCEEDED, output);
    await()
        .atMost(WAIT)
        .until(() -> json(client.get(id)).get("status").asText(), "succeeded"::equals);
    return id;
  }

  private static void end(JobApiFixture.Client client, String id, JobStatus status, String out) {
    Instant at = CLOCK.instant();
    JobEvent event =
        new JobEvent(
            1,
            id + "." + status.wireName(),
            id,
            client.tenant.id(),
            status,
            out,
            new TokenUsage(12, 2),
            "openai",
            "gpt-4o-mini",
            new BigDecimal("0.000003"),
            null,
            1,
            at,
            at);
    KafkaTestClients.send(fixture.topics.jobsEvents().name(), id, EVENTS.toJson(event));
  }

  private static boolean published(String jobId) {
    List<ConsumerRecord<String, String>> records =
        KafkaTestClients.readAll(fixture.topics.jobsSubmitted().name());
    return records.stream().anyMatch(r -> r.key().equals(jobId));
  }

  @Test
  void shouldAnswerARepeatedDeterministicJobAtOnceWithTheEarlierAnswerAndQueueNothing() {
    JobApiFixture.Client client = fixture.newClient();
    String first = answered(client, deterministic("cache one"), "the answer");

    JsonNode repeated = submit(client, deterministic("cache one"));

    String id = repeated.get("id").asText();
    assertThat(id).isNotEqualTo(first);
    assertThat(repeated.get("status").asText()).isEqualTo("succeeded");
    assertThat(repeated.get("output").asText()).isEqualTo("the answer");
    assertThat(repeated.get("cached").asBoolean()).isTrue();
    assertThat(repeated.get("cached_from").asText()).isEqualTo(first);
    assertThat(repeated.get("cost_usd").decimalValue()).isZero();
    assertThat(repeated.get("cache_saved_usd").decimalValue()).isEqualByComparingTo("0.000003");
    assertThat(repeated.get("provider_model").asText()).isEqualTo("gpt-4o-mini");
    assertThat(json(client.get(id)).get("cached_from").asText()).isEqualTo(first);
    assertThat(fixture.count("SELECT count(*) FROM outbox WHERE record_key = ?", id)).isZero();
    await().atMost(WAIT).until(() -> published(first));
    assertThat(published(id)).isFalse();
  }

  @Test
  void shouldBookACachedAnswerAtZeroCostWithWhatItSaved() {
    JobApiFixture.Client client = fixture.newClient();
    answered(client, deterministic("cache ledger"), "ledger answer");
    submit(client, deterministic("cache ledger"));
    submit(client, deterministic("cache ledger"));

    LocalDate today = LocalDate.ofInstant(CLOCK.instant(), ZoneOffset.UTC);
    HttpResponse<String> usage =
        JobApiFixture.send(
            HttpRequest.newBuilder(fixture.url("/v1/usage?from=" + today + "&to=" + today))
                .header("Authorization", "Bearer " + client.key)
                .GET());

    JsonNode total = json(usage).get("total");
    assertThat(total.get("jobs").asLong()).isEqualTo(3);
    assertThat(total.get("cached_jobs").asLong()).isEqualTo(2);
    assertThat(total.get("cost_usd").decimalValue()).isEqualByComparingTo("0.000003");
    assertThat(total.get("cache_saved_usd").decimalValue()).isEqualByComparingTo("0.000006");
    assertThat(total.get("input_tokens").asLong()).isEqualTo(12);
  }

  @Test
  void shouldShareAnswersBetweenAnAliasAndTheModelItNames() {
    JobApiFixture.Client client = fixture.newClient();
    String first = answered(client, deterministic("cache alias"), "alias answer");

    JsonNode viaAlias =
        submit(
            client,
            "{\"model\":\"fast\",\"temperature\":0,\"metadata\":{\"run\":\"2\"},"
                + "\"priority\":\"bulk\",\"messages\":[{\"role\":\"user\","
                + "\"content\":\"cache alias\"}]}");

    assertThat(viaAlias.get("cached_from").asText()).isEqualTo(first);
    assertThat(viaAlias.get("model").asText()).isEqualTo("fast");
  }

  @Test
  void shouldNotServeOneTenantsAnswerToAnother() {
    JobApiFixture.Client owner = fixture.newClient();
    JobApiFixture.Client other = fixture.newClient();
    answered(owner, deterministic("cache tenant"), "owner's answer");

    JsonNode theirs = submit(other, deterministic("cache tenant"));

    assertThat(theirs.get("status").asText()).isEqualTo("queued");
    assertThat(theirs.has("cached")).isFalse();
  }

  @Test
  void shouldNotServeAnAnswerWhoseRequestDiffersInAnythingThatShapesIt() {
    JobApiFixture.Client client = fixture.newClient();
    answered(client, deterministic("cache differ"), "first");

    List<String> different =
        List.of(
            deterministic("cache differ!"),
            body("cache differ", ",\"temperature\":0,\"max_tokens\":5"),
            "{\"model\":\"claude-haiku-4-5\",\"temperature\":0,\"messages\":[{\"role\":\"user\","
                + "\"content\":\"cache differ\"}]}",
            body("cache differ", ",\"temperature\":0,\"response_schema\":{\"type\":\"object\"}"));

    for (String request : different) {
      assertThat(submit(client, request).get("status").asText()).as(request).isEqualTo("queued");
    }
  }

  @Test
  void shouldExpireAnAnswerWithTheTtlAndDeleteItInThePurge() {
    JobApiFixture.Client client = fixture.newClient();
    String first = answered(client, deterministic("cache ttl"), "fresh");
    CLOCK.advance(TTL.minusMinutes(1));
    assertThat(submit(client, deterministic("cache ttl")).get("cached_from").asText())
        .isEqualTo(first);

    CLOCK.advance(Duration.ofMinutes(2));
    JsonNode late = submit(client, deterministic("cache ttl"));

    assertThat(late.get("status").asText()).isEqualTo("queued");
    await()
        .atMost(WAIT)
        .until(
            () ->
                fixture.count(
                    "SELECT count(*) FROM result_cache WHERE tenant_id = ?", client.tenant.id()),
            n -> n == 0);
  }

  @Test
  void shouldApplyTheTenantsOwnTtlAsItIsWhenRead() {
    JobApiFixture.Client client = fixture.newClient();
    String first = answered(client, deterministic("cache tenant ttl"), "kept");
    assertThat(fixture.api.admin().setCacheTtl(client.tenant.id(), Duration.ofHours(2))).isTrue();
    assertThat(fixture.api.admin().cacheTtl(client.tenant.id())).contains(Duration.ofHours(2));

    // Past the deployment's 1 h but within the tenant's own 2 h: still served.
    CLOCK.advance(Duration.ofMinutes(90));
    assertThat(submit(client, deterministic("cache tenant ttl")).get("cached_from").asText())
        .isEqualTo(first);

    // 0 keeps the tenant's jobs out of the cache, answers kept before included.
    fixture.api.admin().setCacheTtl(client.tenant.id(), Duration.ZERO);
    assertThat(submit(client, deterministic("cache tenant ttl")).get("status").asText())
        .isEqualTo("queued");
  }

  @Test
  void shouldCacheOnlyDeterministicRequests() {
    JobApiFixture.Client client = fixture.newClient();
    String sampled = body("cache sampled", ",\"temperature\":0.7");
    String unset = body("cache unset", "");
    String optedIn = body("cache opted in", ",\"cache\":true");
    String optedOut = body("cache opted out", ",\"temperature\":0,\"cache\":false");
    answered(client, sampled, "a");
    answered(client, unset, "b");
    String kept = answered(client, optedIn, "c");
    answered(client, optedOut, "d");

    assertThat(submit(client, sampled).get("status").asText()).isEqualTo("queued");
    assertThat(submit(client, unset).get("status").asText()).isEqualTo("queued");
    assertThat(submit(client, optedIn).get("cached_from").asText()).isEqualTo(kept);
    assertThat(submit(client, optedOut).get("status").asText()).isEqualTo("queued");
    assertThat(submit(client, body("cache opted out", ",\"temperature\":0")).get("status").asText())
        .as("a job with cache: false is not kept either")
        .isEqualTo("queued");
  }

  @Test
  void shouldNotKeepTheAnswerOfAJobThatFailed() {
    JobApiFixture.Client client = fixture.newClient();
    String id = submit(client, deterministic("cache failed")).get("id").asText();
    end(client, id, JobStatus.FAILED, null);
    await().atMost(WAIT).until(() -> json(client.get(id)).get("status").asText(), "failed"::equals);

    assertThat(submit(client, deterministic("cache failed")).get("status").asText())
        .isEqualTo("queued");
    assertThat(fixture.count("SELECT count(*) FROM result_cache_pending WHERE job_id = ?", id))
        .isZero();
  }

  @Test
  void shouldRefuseABadCacheFieldNamingItAndStoreNothing() {
    JobApiFixture.Client client = fixture.newClient();

    HttpResponse<String> notBoolean = client.submit(body("cache bad", ",\"cache\":\"yes\""));
    HttpResponse<String> sampled =
        client.submit(body("cache bad", ",\"temperature\":0.5,\"cache\":true"));

    assertThat(notBoolean.statusCode()).isEqualTo(400);
    assertThat(notBoolean.body()).contains("\"cache\"").contains("true or false");
    assertThat(sampled.statusCode()).isEqualTo(400);
    assertThat(sampled.body()).contains("\"cache\"").contains("temperature 0.5");
    assertThat(client.jobCount()).isZero();
  }
}
