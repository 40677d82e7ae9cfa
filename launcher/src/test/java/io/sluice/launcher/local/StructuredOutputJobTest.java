package io.sluice.launcher.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.launcher.client.SluiceClient;
import io.sluice.schemas.json.Json;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Structured output end to end as {@code sluice local} runs it (job-api, dispatcher and workers on
 * the real test broker and a real PostgreSQL, the simulator as provider): a job whose first answer
 * violates its {@code response_schema} ({@code #sim invalid-output=1}) succeeds after exactly one
 * repair call whose prompt names the validation error; one that never validates ({@code
 * invalid-output=always}) fails after {@code max_repairs + 1} calls with the errors; an invalid
 * schema and an out-of-range {@code max_repairs} are refused at submission. Each test uses its own
 * model, so the simulator's meter counts its calls alone.
 */
class StructuredOutputJobTest {
  private static final Duration WAIT = Duration.ofSeconds(60);
  private static final Map<String, Object> SCHEMA =
      Map.of(
          "type",
          "object",
          "required",
          List.of("city", "country"),
          "properties",
          Map.of("city", Map.of("type", "string"), "country", Map.of("type", "string")));

  @TempDir static Path dataDir;
  private static LocalPlatformFixture local;
  private static SluiceClient client;

  @BeforeAll
  static void startPlatform() {
    local =
        LocalPlatformFixture.start(
            database ->
                LocalPlatform.startOn(
                    new LocalOptions(dataDir, 0, "unlimited", Duration.ofMillis(5), 4),
                    database,
                    TestInfrastructure.kafka(),
                    TestInfrastructure.uniqueName("structured")));
    client = local.client;
  }

  @AfterAll
  static void stopPlatform() {
    local.close();
  }

  @Test
  void shouldSucceedWithOutputJsonAfterOneRepairWhosePromptNamesTheValidationError()
      throws Exception {
    String model = "gpt-4.1-mini";
    String marker = "tower " + UUID.randomUUID();
    String id = submit(model, "#sim invalid-output=1\nWhere is the " + marker + "?", null);

    JsonNode job = awaitEnd(id);

    assertThat(job.get("status").asText()).as("%s", job).isEqualTo("succeeded");
    assertThat(job.get("output_json").isObject()).as("%s", job).isTrue();
    assertThat(job.at("/output_json/city").isTextual()).isTrue();
    assertThat(job.at("/output_json/country").isTextual()).isTrue();
    assertThat(Json.mapper().readTree(job.get("output").asText()))
        .isEqualTo(job.get("output_json"));
    assertThat(job.get("repairs").asInt()).isEqualTo(1);
    assertThat(job.get("attempts").asInt()).isEqualTo(2);
    List<JsonNode> calls = callsAbout(model, marker);
    assertThat(calls).hasSize(2);
    JsonNode repair = calls.get(1).get("messages");
    assertThat(repair).hasSize(3);
    assertThat(repair.get(1).get("role").asText()).isEqualTo("assistant");
    assertThat(repair.get(1).get("text").asText()).doesNotContain("\"city\"");
    assertThat(repair.get(2).get("text").asText())
        .contains("Validation errors")
        .contains("required property 'city' not found");
    // cost is per call and the job's is their sum: usage equals what the provider metered
    JsonNode meter = meterTotal(model);
    assertThat(meter.get("requests").asLong()).isEqualTo(2);
    assertThat(job.at("/usage/input_tokens").asLong())
        .isEqualTo(meter.get("input_tokens").asLong());
    assertThat(job.at("/usage/output_tokens").asLong())
        .isEqualTo(meter.get("output_tokens").asLong());
    assertThat(new BigDecimal(job.get("cost_usd").asText())).isPositive();
  }

  @Test
  void shouldFailWithTheValidationErrorsAfterMaxRepairsPlusOneCalls() throws Exception {
    String model = "claude-haiku-4-5";
    String id = submit(model, "#sim invalid-output=always\nWhere is it?", 1);

    JsonNode job = awaitEnd(id);

    assertThat(job.get("status").asText()).as("%s", job).isEqualTo("failed");
    assertThat(job.at("/error/code").asText()).isEqualTo("output_schema_mismatch");
    assertThat(job.at("/error/message").asText())
        .startsWith("the output does not satisfy response_schema after 1 repair: ")
        .contains("required property 'city' not found");
    assertThat(job.has("output")).isFalse();
    assertThat(job.has("output_json")).isFalse();
    assertThat(job.get("repairs").asInt()).isEqualTo(1);
    assertThat(job.get("attempts").asInt()).isEqualTo(2);
    assertThat(meterTotal(model).get("requests").asLong()).as("max_repairs + 1 calls").isEqualTo(2);
    assertThat(job.at("/usage/input_tokens").asLong())
        .isEqualTo(meterTotal(model).get("input_tokens").asLong());
    assertThat(new BigDecimal(job.get("cost_usd").asText())).isPositive();
  }

  @Test
  void shouldStopBetweenRepairCallsOnceTheCostReachesMaxCostUsd() throws Exception {
    String model = "claude-sonnet-4-5";
    Map<String, Object> body = body(model, "#sim invalid-output=always\nWhere is it?", 5);
    body.put("max_tokens", 60);
    // the 422 of a cap too low names the estimate; a cap of exactly the estimate is accepted
    body.put("max_cost_usd", new BigDecimal("0.0000001"));
    SluiceClient.ApiException refused =
        catchThrowableOfType(SluiceClient.ApiException.class, () -> client.submit(body));
    assertThat(refused.status()).isEqualTo(422);
    String message = json(refused.body()).at("/error/message").asText();
    BigDecimal cap =
        new BigDecimal(message.replaceAll(".*estimated cost is ([0-9.]+) USD.*", "$1"));
    body.put("max_cost_usd", cap);

    JsonNode job = awaitEnd(client.submit(body).get("id").asText());

    assertThat(job.get("status").asText()).as("%s", job).isEqualTo("failed");
    assertThat(job.at("/error/code").asText()).isEqualTo("max_cost_exceeded");
    assertThat(job.at("/error/message").asText())
        .contains("max_cost_usd of " + cap.toPlainString());
    long calls = meterTotal(model).get("requests").asLong();
    assertThat(calls).as("stopped before max_repairs + 1 calls").isBetween(1L, 5L);
    assertThat(job.get("attempts").asLong()).isEqualTo(calls);
    assertThat(new BigDecimal(job.get("cost_usd").asText())).isGreaterThanOrEqualTo(cap);
  }

  @Test
  void shouldRefuseAnInvalidSchemaAtSubmissionAndStoreNothing() throws Exception {
    Map<String, Object> body = body("gpt-4o", "never stored", null);
    body.put("response_schema", Map.of("type", "object", "required", "city"));

    assertThatThrownBy(() -> client.submit(body))
        .isInstanceOfSatisfying(
            SluiceClient.ApiException.class,
            e -> {
              assertThat(e.status()).isEqualTo(400);
              JsonNode field = json(e.body()).at("/error/fields/0");
              assertThat(field.get("field").asText()).isEqualTo("response_schema");
              assertThat(field.get("message").asText())
                  .startsWith("is not a valid JSON Schema")
                  .contains("/required");
            });
    assertThat(listed("gpt-4o")).isEmpty();
  }

  @Test
  void shouldRefuseMaxRepairsOutOfRange() throws Exception {
    for (int bad : new int[] {-1, 6}) {
      assertThatThrownBy(() -> client.submit(body("gpt-4o", "x", bad)))
          .isInstanceOfSatisfying(
              SluiceClient.ApiException.class,
              e -> {
                assertThat(e.status()).isEqualTo(400);
                assertThat(json(e.body()).at("/error/fields/0/field").asText())
                    .isEqualTo("max_repairs");
              });
    }
    assertThat(listed("gpt-4o")).isEmpty();
  }

  private static String submit(String model, String prompt, Integer maxRepairs) {
    return client.submit(body(model, prompt, maxRepairs)).get("id").asText();
  }

  private static Map<String, Object> body(String model, String prompt, Integer maxRepairs) {
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("model", model);
    body.put("messages", List.of(Map.of("role", "user", "content", prompt)));
    body.put("response_schema", SCHEMA);
    if (maxRepairs != null) {
      body.put("max_repairs", maxRepairs);
    }
    return body;
  }

  private static JsonNode awaitEnd(String id) {
    return local.awaitEnd(id, WAIT);
  }

  private static List<JsonNode> callsAbout(String model, String marker) {
    return local.callsAbout(model, marker);
  }

  private static JsonNode meterTotal(String model) {
    return local
        .meterTotal(model)
        .orElseThrow(() -> new AssertionError("the simulator metered no call of " + model));
  }

  private static JsonNode listed(String model) {
    var response = local.apiGet("/v1/jobs?model=" + model);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response.body()).get("data");
  }

  private static JsonNode json(String body) {
    return LocalPlatformFixture.json(body);
  }
}
