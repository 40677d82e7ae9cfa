package io.sluice.launcher.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.fallback.FallbackChains;
import io.sluice.launcher.client.SluiceClient;
import io.sluice.launcher.tracing.ComponentTracing;
import io.sluice.schemas.model.ModelCatalog;
import io.sluice.simulator.FaultSettings;
import io.sluice.simulator.ModelLimits;
import io.sluice.simulator.Profile;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fallback chains end to end as {@code sluice local} runs them (job-api, dispatcher and workers on
 * the real test broker and a real PostgreSQL, the simulator as every provider), with the deployment
 * chain {@code gpt-4o-mini → claude-haiku-4-5 → gemini-2.0-flash}. The simulator's {@code #sim ...
 * api=<provider>} fails one provider only; its request log and meter show which provider was
 * called. Ordered: the client-error case runs first, before other cases open OpenAI's circuit
 * breaker (a task with a fallback entry gives up at once on an open circuit, which would make it
 * fall back for that reason).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class FallbackJobTest {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int HAIKU_RPM = 10;

  @TempDir static Path dataDir;
  private static LocalPlatformFixture local;
  private static SluiceClient client;

  @BeforeAll
  static void startPlatform() {
    Profile profile =
        Profile.uniform("fallback", ModelLimits.unlimited())
            .withModel("claude-haiku-4-5", ModelLimits.anthropic(HAIKU_RPM, 100_000, 20_000));
    local =
        LocalPlatformFixture.start(
            database ->
                LocalPlatform.startOn(
                    new LocalOptions(dataDir, 0, profile, Duration.ofMillis(5), 8),
                    database,
                    TestInfrastructure.kafka(),
                    TestInfrastructure.uniqueName("fallback"),
                    ComponentTracing.off(),
                    FallbackChains.parse(
                        "gpt-4o-mini=claude-haiku-4-5,gemini-2.0-flash", ModelCatalog.defaults())));
    client = local.client;
  }

  @AfterAll
  static void stopPlatform() {
    local.close();
  }

  @Test
  @Order(1)
  void shouldFailOnAClientErrorFromThePrimaryWithoutCallingTheNextEntry() throws Exception {
    String marker = "bad " + UUID.randomUUID();
    Map<String, Object> body = body("gpt-4o", "#sim error=400 api=openai\nreverse: " + marker);
    body.put("fallback", List.of("claude-sonnet-4-5"));

    JsonNode job = awaitEnd(client.submit(body).get("id").asText());

    assertThat(job.get("status").asText()).as("%s", job).isEqualTo("failed");
    assertThat(job.at("/error/scope").asText()).isEqualTo("request");
    assertThat(job.get("provider").asText()).isEqualTo("openai");
    assertThat(job.get("provider_attempts")).hasSize(1);
    assertThat(callsAbout("gpt-4o", marker)).hasSize(1);
    assertThat(callsAbout("claude-sonnet-4-5", marker)).isEmpty();
    assertThat(meterTotal("claude-sonnet-4-5")).as("no call on the second entry").isNull();
  }

  @Test
  @Order(2)
  void shouldNotFallBackForAJobThatSaidFallbackFalse() throws Exception {
    String marker = "alone " + UUID.randomUUID();
    Map<String, Object> body = body("gpt-4o-mini", "#sim error=500 api=openai\nreverse: " + marker);
    body.put("fallback", false);

    JsonNode job = awaitEnd(client.submit(body).get("id").asText());

    assertThat(job.get("status").asText()).as("%s", job).isEqualTo("failed");
    assertThat(job.has("provider_attempts")).isFalse();
    assertThat(callsAbout("gpt-4o-mini", marker)).isNotEmpty();
    assertThat(callsAbout("claude-haiku-4-5", marker)).isEmpty();
    assertThat(callsAbout("gemini-2.0-flash", marker)).isEmpty();
  }

  @Test
  @Order(3)
  void shouldSucceedThroughTheDeploymentsNextEntryWhenThePrimaryAnswers500s() throws Exception {
    String marker = "up " + UUID.randomUUID();

    JsonNode job =
        awaitEnd(
            client
                .submit(body("gpt-4o-mini", "#sim error=500 api=openai\nreverse: " + marker))
                .get("id")
                .asText());

    assertThat(job.get("status").asText()).as("%s", job).isEqualTo("succeeded");
    assertThat(job.get("output").asText())
        .isEqualTo(new StringBuilder(marker).reverse().toString());
    assertThat(job.get("provider").asText()).isEqualTo("anthropic");
    assertThat(job.get("provider_model").asText()).isEqualTo("claude-haiku-4-5");
    JsonNode attempts = job.get("provider_attempts");
    assertThat(attempts).hasSize(2);
    assertThat(attempts.get(0).get("provider").asText()).isEqualTo("openai");
    assertThat(attempts.get(0).get("outcome").asText()).isEqualTo("failed");
    assertThat(attempts.at("/0/error/scope").asText()).isEqualTo("provider");
    assertThat(attempts.get(1).get("provider").asText()).isEqualTo("anthropic");
    assertThat(attempts.get(1).get("outcome").asText()).isEqualTo("succeeded");
    int openAiCalls = callsAbout("gpt-4o-mini", marker).size();
    assertThat(openAiCalls).as("the primary was called, and retried").isBetween(1, 4);
    assertThat(callsAbout("claude-haiku-4-5", marker)).hasSize(1);
    assertThat(callsAbout("gemini-2.0-flash", marker)).isEmpty();
    // cost is per attempt: the failed calls cost nothing, the job's cost is the answering call's
    assertThat(job.get("attempts").asInt()).isEqualTo(attempts.get(0).get("calls").asInt() + 1);
    assertThat(new BigDecimal(job.get("cost_usd").asText()))
        .isPositive()
        .isEqualByComparingTo(new BigDecimal(attempts.get(1).get("cost_usd").asText()));
  }

  @Test
  @Order(4)
  void shouldSucceedThroughTheNextEntryWhileThePrimaryIsInAnOutageWindow() throws Exception {
    local
        .platform
        .simulator()
        .faults(
            FaultSettings.NONE
                .withOutage(Instant.now(), Duration.ofMinutes(10), 503)
                .withOutageApis("openai"));
    try {
      List<String> ids = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        Map<String, Object> body = body("gpt-4.1", "uppercase: outage " + i);
        body.put("fallback", List.of("gemini-2.5-flash"));
        ids.add(client.submit(body).get("id").asText());
      }

      for (String id : ids) {
        JsonNode job = awaitEnd(id);
        assertThat(job.get("status").asText()).as("%s", job).isEqualTo("succeeded");
        assertThat(job.get("output").asText()).startsWith("OUTAGE ");
        assertThat(job.get("provider").asText()).isEqualTo("gemini");
        assertThat(job.at("/provider_attempts/0/provider").asText()).isEqualTo("openai");
        assertThat(job.at("/provider_attempts/0/error/code").asText())
            .isIn("server_error", "http_503", "circuit_open");
      }
      assertThat(meterTotal("gemini-2.5-flash").get("requests").asLong()).isEqualTo(3);
      JsonNode primary = meterTotal("gpt-4.1"); // null when its open circuit kept every call
      if (primary != null) {
        assertThat(primary.get("requests").asLong())
            .as("no call of the primary was answered during its outage")
            .isZero();
      }
    } finally {
      local.platform.simulator().faults(FaultSettings.NONE);
    }
  }

  @Test
  @Order(5)
  void shouldKeepEachEntrysRateLimitWhenManyJobsFallBackToIt() throws Exception {
    int jobs = HAIKU_RPM + 4;
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < jobs; i++) {
      Map<String, Object> body =
          body("gemini-2.5-pro", "#sim error=503 api=gemini\nreverse: limit " + i);
      body.put("fallback", List.of("claude-haiku-4-5"));
      ids.add(client.submit(body).get("id").asText());
    }

    for (String id : ids) {
      JsonNode job = awaitEnd(id);
      assertThat(job.get("status").asText()).as("%s", job).isEqualTo("succeeded");
      assertThat(job.get("provider_model").asText()).isEqualTo("claude-haiku-4-5");
    }
    JsonNode haiku = meterTotal("claude-haiku-4-5");
    assertThat(haiku.get("requests").asLong()).isGreaterThanOrEqualTo(jobs);
    assertThat(haiku.get("rate_limited").asLong())
        .as("more jobs than its per-minute limit fell back to claude-haiku-4-5, none was refused")
        .isZero();
    assertThat(meterTotal("gemini-2.5-pro").get("rate_limited").asLong()).isZero();
  }

  @Test
  @Order(6)
  void shouldRefuseAFallbackChainNamingAnUnknownModel() throws Exception {
    Map<String, Object> body = body("gpt-4o-mini", "never stored");
    body.put("fallback", List.of("claude-haiku-4-5", "claude-9"));

    assertThatThrownBy(() -> client.submit(body))
        .isInstanceOfSatisfying(
            SluiceClient.ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              JsonNode field = json(e.body()).at("/error/fields/0");
              assertThat(field.get("field").asText()).isEqualTo("fallback[1]");
              assertThat(field.get("message").asText()).startsWith("unknown model 'claude-9'");
            });
  }

  private static Map<String, Object> body(String model, String prompt) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", model);
    body.put("messages", List.of(Map.of("role", "user", "content", prompt)));
    return body;
  }

  private static JsonNode awaitEnd(String id) {
    return local.awaitEnd(id, WAIT);
  }

  private static List<JsonNode> callsAbout(String model, String marker) {
    return local.callsAbout(model, marker);
  }

  /** The simulator's meter total of {@code model}, or {@code null} when it metered no call. */
  private static JsonNode meterTotal(String model) {
    return local.meterTotal(model).orElse(null);
  }

  private static JsonNode json(String body) {
    return LocalPlatformFixture.json(body);
  }
}
