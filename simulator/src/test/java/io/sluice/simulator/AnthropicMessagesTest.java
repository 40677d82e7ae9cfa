package io.sluice.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class AnthropicMessagesTest {
  private static Simulator simulator;
  private static RawHttp http;

  @BeforeAll
  static void start() {
    simulator = Simulator.start(SimulatorConfig.builder().latency(LatencySettings.NONE).build());
    http = new RawHttp(simulator.baseUrl());
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @Test
  void shouldAnswerWithTheRealMessageShape() {
    HttpResponse<String> response =
        http.anthropic(message("claude-sonnet-4-5", "reverse: abc", 100));

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    JsonNode body = RawHttp.json(response.body());
    assertThat(body.path("id").asText()).startsWith("msg_");
    assertThat(body.path("type").asText()).isEqualTo("message");
    assertThat(body.path("role").asText()).isEqualTo("assistant");
    assertThat(body.path("model").asText()).isEqualTo("claude-sonnet-4-5");
    assertThat(body.path("content").get(0).path("type").asText()).isEqualTo("text");
    assertThat(body.path("content").get(0).path("text").asText()).isEqualTo("cba");
    assertThat(body.path("stop_reason").asText()).isEqualTo("end_turn");
    assertThat(body.path("usage").path("input_tokens").asInt()).isPositive();
    assertThat(body.path("usage").path("output_tokens").asInt()).isPositive();
    assertThat(response.headers().firstValue("request-id")).isPresent();
    assertThat(response.headers().firstValue("anthropic-ratelimit-requests-limit")).isPresent();
  }

  @Test
  void shouldStopAtMaxTokens() {
    JsonNode body =
        RawHttp.json(http.anthropic(message("claude-haiku-4-5", "Write an essay", 3)).body());

    assertThat(body.path("stop_reason").asText()).isEqualTo("max_tokens");
    assertThat(body.path("usage").path("output_tokens").asInt()).isEqualTo(3);
  }

  @Test
  void shouldRequireTheApiKeyAndVersionHeaders() {
    String body = message("claude-sonnet-4-5", "hi", 10);
    HttpResponse<String> noKey =
        http.post("/v1/messages", body, Map.of("anthropic-version", "2023-06-01"));
    HttpResponse<String> noVersion = http.post("/v1/messages", body, Map.of("x-api-key", "k"));

    assertThat(noKey.statusCode()).isEqualTo(401);
    assertThat(RawHttp.json(noKey.body()).path("type").asText()).isEqualTo("error");
    assertThat(RawHttp.json(noKey.body()).path("error").path("type").asText())
        .isEqualTo("authentication_error");
    assertThat(noVersion.statusCode()).isEqualTo(400);
    assertThat(RawHttp.json(noVersion.body()).path("error").path("message").asText())
        .contains("anthropic-version");
  }

  @Test
  void shouldRefuseAMissingMaxTokensAndAnUnknownModel() {
    HttpResponse<String> noMax =
        http.anthropic(
            "{\"model\":\"claude-sonnet-4-5\",\"messages\":[{\"role\":\"user\",\"content\":\"x\"}]}");
    HttpResponse<String> unknown = http.anthropic(message("mistral-large", "hi", 10));

    assertThat(noMax.statusCode()).isEqualTo(400);
    assertThat(RawHttp.json(noMax.body()).path("error").path("type").asText())
        .isEqualTo("invalid_request_error");
    assertThat(unknown.statusCode()).isEqualTo(404);
    assertThat(RawHttp.json(unknown.body()).path("error").path("type").asText())
        .isEqualTo("not_found_error");
  }

  @Test
  void shouldAnswer529OverloadedWhenADirectiveAsksForIt() {
    HttpResponse<String> response =
        http.anthropic(
            message("claude-sonnet-4-5", "#sim error=529 retry-after=3\nreverse: abc", 10));

    assertThat(response.statusCode()).isEqualTo(529);
    assertThat(RawHttp.json(response.body()).path("error").path("type").asText())
        .isEqualTo("overloaded_error");
    assertThat(response.headers().firstValue("retry-after")).hasValue("3");
  }

  static String message(String model, String text, int maxTokens) {
    return io.sluice.schemas.json.Json.mapper()
        .createObjectNode()
        .put("model", model)
        .put("max_tokens", maxTokens)
        .set(
            "messages",
            io.sluice.schemas.json.Json.mapper()
                .createArrayNode()
                .add(
                    io.sluice.schemas.json.Json.mapper()
                        .createObjectNode()
                        .put("role", "user")
                        .put("content", text)))
        .toString();
  }
}
