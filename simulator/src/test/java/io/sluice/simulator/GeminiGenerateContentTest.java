package io.sluice.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.json.Json;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Gemini API's generateContent on the wire: shapes, errors, header-less limits, meter. */
class GeminiGenerateContentTest {
  private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");
  private final ManualClock clock = new ManualClock(T0);
  private Simulator simulator;
  private RawHttp http;

  private void start(SimulatorConfig.Builder config) {
    simulator = Simulator.start(config.clock(clock).latency(LatencySettings.NONE).build());
    http = new RawHttp(simulator.baseUrl());
  }

  @AfterEach
  void stop() {
    simulator.close();
  }

  @Test
  void shouldAnswerWithTheRealGenerateContentShapeAndNoRateLimitHeaders() {
    start(SimulatorConfig.builder().profile("gemini-tier1"));

    HttpResponse<String> response = generate("gemini-2.5-flash", request("reverse: abc", 50));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = RawHttp.json(response.body());
    JsonNode candidate = body.path("candidates").get(0);
    assertThat(candidate.path("content").path("role").asText()).isEqualTo("model");
    assertThat(candidate.path("content").path("parts").get(0).path("text").asText())
        .isEqualTo("cba");
    assertThat(candidate.path("finishReason").asText()).isEqualTo("STOP");
    JsonNode usage = body.path("usageMetadata");
    assertThat(usage.path("promptTokenCount").asInt()).isPositive();
    assertThat(usage.path("candidatesTokenCount").asInt()).isPositive();
    assertThat(usage.path("totalTokenCount").asInt())
        .isEqualTo(
            usage.path("promptTokenCount").asInt() + usage.path("candidatesTokenCount").asInt());
    assertThat(body.path("modelVersion").asText()).isEqualTo("gemini-2.5-flash");
    assertThat(body.path("responseId").asText()).isNotBlank();
    assertThat(response.headers().map().keySet())
        .noneMatch(name -> name.toLowerCase().contains("ratelimit"))
        .doesNotContain("retry-after");
    MeterRow row = simulator.meter().snapshot().total("gemini-2.5-flash");
    assertThat(row.requests()).isEqualTo(1);
    assertThat(row.inputTokens()).isEqualTo(usage.path("promptTokenCount").asLong());
    assertThat(row.maxTokens()).isEqualTo(50);
    assertThat(simulator.meter().snapshot().rows()).allMatch(r -> r.api().equals("gemini"));
  }

  @Test
  void shouldReadSystemInstructionAndAnswerStructuredOutput() {
    start(SimulatorConfig.builder());
    ObjectNode body = (ObjectNode) RawHttp.json(request("sum: 1 2 3", 50));
    body.putObject("systemInstruction").putArray("parts").addObject().put("text", "Add.");
    assertThat(RawHttp.json(generate("gemini-2.0-flash", body.toString()).body()).toString())
        .contains("\"text\":\"6\"");

    ObjectNode structured = (ObjectNode) RawHttp.json(request("extract", 200));
    ObjectNode config = (ObjectNode) structured.path("generationConfig");
    config.put("responseMimeType", "application/json");
    config.set(
        "responseJsonSchema",
        RawHttp.json(
            "{\"type\":\"object\",\"properties\":{\"n\":{\"type\":\"integer\"}},\"required\":[\"n\"]}"));
    String text =
        RawHttp.json(generate("gemini-2.5-pro", structured.toString()).body())
            .path("candidates")
            .get(0)
            .path("content")
            .path("parts")
            .get(0)
            .path("text")
            .asText();
    assertThat(RawHttp.json(text).path("n").isIntegralNumber()).isTrue();
  }

  @Test
  void shouldAnswerGoogleRpcErrorsForKeysModelsAndBodies() {
    start(SimulatorConfig.builder().apiKey("right-key"));
    String body = request("hi", 10);

    HttpResponse<String> noKey =
        http.post("/v1beta/models/gemini-2.5-flash:generateContent", body, Map.of());
    HttpResponse<String> wrongKey =
        http.post(
            "/v1beta/models/gemini-2.5-flash:generateContent",
            body,
            Map.of("x-goog-api-key", "wrong"));
    HttpResponse<String> unknownModel =
        http.post(
            "/v1beta/models/text-bison-001:generateContent",
            body,
            Map.of("x-goog-api-key", "right-key"));
    HttpResponse<String> noContents =
        http.post("/v1beta/models/gemini-2.5-flash:generateContent?key=right-key", "{}", Map.of());

    assertThat(error(noKey, 403).path("status").asText()).isEqualTo("PERMISSION_DENIED");
    JsonNode invalidKey = error(wrongKey, 400);
    assertThat(invalidKey.path("status").asText()).isEqualTo("INVALID_ARGUMENT");
    assertThat(invalidKey.path("details").get(0).path("reason").asText())
        .isEqualTo("API_KEY_INVALID");
    assertThat(error(unknownModel, 404).path("status").asText()).isEqualTo("NOT_FOUND");
    assertThat(error(noContents, 400).path("message").asText()).contains("contents");
  }

  @Test
  void shouldMapSimDirectivesToGoogleErrorsWithRetryInfo() {
    start(SimulatorConfig.builder());

    JsonNode unavailable =
        error(generate("gemini-2.5-flash", request("#sim error=503 retry-after=7\nhi", 10)), 503);
    JsonNode limited =
        error(
            generate("gemini-2.5-flash", request("#sim error=429 retry-after-ms=1500\nhi", 10)),
            429);
    JsonNode daily =
        error(
            generate("gemini-2.5-flash", request("#sim error=429 code=daily_quota\nhi", 10)), 429);

    assertThat(unavailable.path("status").asText()).isEqualTo("UNAVAILABLE");
    assertThat(unavailable.path("message").asText()).contains("overloaded");
    assertThat(detail(unavailable, "RetryInfo").path("retryDelay").asText()).isEqualTo("7s");
    assertThat(limited.path("status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(detail(limited, "RetryInfo").path("retryDelay").asText()).isEqualTo("1.5s");
    assertThat(daily.path("status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(detail(daily, "QuotaFailure").path("violations").get(0).path("quotaId").asText())
        .isEqualTo("GenerateRequestsPerDayPerProjectPerModel");
    assertThat(simulator.meter().snapshot().total("gemini-2.5-flash").errors()).isEqualTo(3);
  }

  @Test
  void shouldRefuseOverTheRpmWithResourceExhaustedAndRetryInfoUntilTheBucketRefills() {
    start(SimulatorConfig.builder().limits("gemini-2.5-pro", ModelLimits.gemini(3, 1_000_000)));
    for (int i = 0; i < 3; i++) {
      assertThat(generate("gemini-2.5-pro", request("reverse: abc", 10)).statusCode())
          .isEqualTo(200);
    }

    HttpResponse<String> refused = generate("gemini-2.5-pro", request("reverse: abc", 10));

    JsonNode error = error(refused, 429);
    assertThat(error.path("status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(detail(error, "RetryInfo").path("retryDelay").asText()).isEqualTo("20s");
    assertThat(detail(error, "QuotaFailure").path("violations").get(0).path("quotaId").asText())
        .isEqualTo("GenerateRequestsPerMinutePerProjectPerModel");
    assertThat(refused.headers().firstValue("retry-after")).isEmpty();
    assertThat(simulator.meter().snapshot().total("gemini-2.5-pro").rateLimited()).isEqualTo(1);

    clock.advance(Duration.ofSeconds(20));
    assertThat(generate("gemini-2.5-pro", request("reverse: abc", 10)).statusCode()).isEqualTo(200);
  }

  @Test
  void shouldCountOnlyInputTokensAgainstTheTpm() {
    start(SimulatorConfig.builder().limits("gemini-2.5-flash", ModelLimits.gemini(1_000, 40)));

    HttpResponse<String> first = generate("gemini-2.5-flash", request("reverse: abc", 5_000));
    int prompt = RawHttp.json(first.body()).path("usageMetadata").path("promptTokenCount").asInt();
    int calls = 1;
    while (generate("gemini-2.5-flash", request("reverse: abc", 5_000)).statusCode() == 200) {
      calls++;
    }

    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(calls).isEqualTo(40 / prompt);
    assertThat(simulator.meter().snapshot().total("gemini-2.5-flash").rateLimited()).isEqualTo(1);
  }

  private HttpResponse<String> generate(String model, String body) {
    return http.post(
        "/v1beta/models/" + model + ":generateContent",
        body,
        Map.of("x-goog-api-key", "any-key", "Content-Type", "application/json"));
  }

  private static String request(String text, int maxOutputTokens) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.putArray("contents")
        .addObject()
        .put("role", "user")
        .putArray("parts")
        .addObject()
        .put("text", text);
    body.putObject("generationConfig").put("maxOutputTokens", maxOutputTokens);
    return body.toString();
  }

  private static JsonNode error(HttpResponse<String> response, int status) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
    JsonNode error = RawHttp.json(response.body()).path("error");
    assertThat(error.path("code").asInt()).isEqualTo(status);
    return error;
  }

  private static JsonNode detail(JsonNode error, String type) {
    for (JsonNode detail : error.path("details")) {
      if (detail.path("@type").asText().equals("type.googleapis.com/google.rpc." + type)) {
        return detail;
      }
    }
    throw new AssertionError("no " + type + " in " + error);
  }
}
