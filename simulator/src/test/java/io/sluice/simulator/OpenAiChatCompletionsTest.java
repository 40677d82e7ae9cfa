package io.sluice.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemas.json.Json;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class OpenAiChatCompletionsTest {
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
  void shouldAnswerReverseWithTheRealResponseShape() {
    HttpResponse<String> response = http.openAi(RawHttp.chat("gpt-4o-mini", "reverse: abc"));

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = RawHttp.json(response.body());
    assertThat(body.path("id").asText()).startsWith("chatcmpl-");
    assertThat(body.path("object").asText()).isEqualTo("chat.completion");
    assertThat(body.path("created").asLong()).isPositive();
    assertThat(body.path("model").asText()).isEqualTo("gpt-4o-mini");
    JsonNode choice = body.path("choices").get(0);
    assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
    assertThat(choice.path("message").path("content").asText()).isEqualTo("cba");
    assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
    JsonNode usage = body.path("usage");
    assertThat(usage.path("completion_tokens").asInt()).isPositive();
    assertThat(usage.path("total_tokens").asInt())
        .isEqualTo(usage.path("prompt_tokens").asInt() + usage.path("completion_tokens").asInt());
    assertThat(response.headers().firstValue("x-request-id")).isPresent();
    assertThat(response.headers().firstValue("x-ratelimit-limit-requests")).isPresent();
  }

  @Test
  void shouldComputeUppercaseAndSum() {
    assertThat(content(http.openAi(RawHttp.chat("gpt-4o", "uppercase: Hello wörld"))))
        .isEqualTo("HELLO WÖRLD");
    assertThat(content(http.openAi(RawHttp.chat("gpt-4o", "sum: 1 2, 3 -10")))).isEqualTo("-4");
  }

  @Test
  void shouldCountOccurrencesAndSumNumbersForMapReduceTests() {
    String map =
        Json.mapper()
            .createObjectNode()
            .put("model", "gpt-4o-mini")
            .set(
                "messages",
                Json.mapper()
                    .createArrayNode()
                    .add(
                        Json.mapper()
                            .createObjectNode()
                            .put("role", "system")
                            .put("content", "count occurrences of \"clause\""))
                    .add(
                        Json.mapper()
                            .createObjectNode()
                            .put("role", "user")
                            .put("content", "clause 1, clause 2.\n\nNo Clause here; clause.")))
            .toString();

    assertThat(content(http.openAi(map))).isEqualTo("3");
    assertThat(content(http.openAi(RawHttp.chat("gpt-4o", "sum the numbers\n3\n\n4\n\n35"))))
        .isEqualTo("42");
  }

  @Test
  void shouldAnswerTheSamePromptWithTheSamePseudoText() {
    String first = content(http.openAi(RawHttp.chat("gpt-4o-mini", "Tell me a story")));
    String second = content(http.openAi(RawHttp.chat("gpt-4o-mini", "Tell me a story")));
    String other = content(http.openAi(RawHttp.chat("gpt-4o-mini", "Tell me another story")));

    assertThat(first).isEqualTo(second).isNotEqualTo(other).isNotBlank();
  }

  @Test
  void shouldCutTheAnswerAtMaxTokensWithFinishReasonLength() {
    HttpResponse<String> response =
        http.openAi(RawHttp.chat("gpt-4o-mini", "Write a long essay", 5));

    JsonNode body = RawHttp.json(response.body());
    assertThat(body.path("choices").get(0).path("finish_reason").asText()).isEqualTo("length");
    assertThat(body.path("usage").path("completion_tokens").asInt()).isEqualTo(5);
  }

  @Test
  void shouldRefuseAMissingApiKeyWith401() {
    HttpResponse<String> response =
        http.post("/v1/chat/completions", RawHttp.chat("gpt-4o-mini", "hi"), Map.of());

    assertThat(response.statusCode()).isEqualTo(401);
    JsonNode error = RawHttp.json(response.body()).path("error");
    assertThat(error.path("type").asText()).isEqualTo("invalid_request_error");
    assertThat(error.path("message").asText()).contains("API key");
    assertThat(error.has("param")).isTrue();
    assertThat(error.has("code")).isTrue();
  }

  @Test
  void shouldRefuseABadBodyWithAClear400() {
    HttpResponse<String> notJson = http.openAi("{not json");
    HttpResponse<String> noMessages = http.openAi("{\"model\":\"gpt-4o-mini\"}");

    assertThat(notJson.statusCode()).isEqualTo(400);
    assertThat(RawHttp.json(notJson.body()).path("error").path("message").asText())
        .contains("parse the JSON");
    assertThat(noMessages.statusCode()).isEqualTo(400);
    assertThat(RawHttp.json(noMessages.body()).path("error").path("param").asText())
        .isEqualTo("messages");
  }

  @Test
  void shouldAnswerAnUnknownModelWith404ModelNotFound() {
    HttpResponse<String> response = http.openAi(RawHttp.chat("llama-3-70b", "hi"));

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(RawHttp.json(response.body()).path("error").path("code").asText())
        .isEqualTo("model_not_found");
  }

  @Test
  void shouldAnswerSchemaValidJsonWhenASchemaIsRequested() {
    String body =
        """
        {"model":"gpt-4o-mini","messages":[{"role":"user","content":"Extract the person"}],
         "response_format":{"type":"json_schema","json_schema":{"name":"person","strict":true,
           "schema":{"type":"object","properties":{
             "name":{"type":"string","minLength":3},
             "age":{"type":"integer","minimum":18,"maximum":99},
             "tags":{"type":"array","items":{"type":"string","enum":["a","b"]}},
             "kind":{"anyOf":[{"$ref":"#/$defs/kind"},{"type":"null"}]}},
             "required":["name","age","tags","kind"],"additionalProperties":false,
             "$defs":{"kind":{"type":"string","enum":["x","y"]}}}}}}
        """;

    JsonNode answer = RawHttp.json(content(http.openAi(body)));

    assertThat(answer.path("name").asText()).hasSizeGreaterThanOrEqualTo(3);
    assertThat(answer.path("age").asInt()).isBetween(18, 99);
    assertThat(answer.path("tags").get(0).asText()).isEqualTo("a");
    assertThat(answer.path("kind").asText()).isEqualTo("x");
  }

  private static String content(HttpResponse<String> response) {
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return RawHttp.json(response.body())
        .path("choices")
        .get(0)
        .path("message")
        .path("content")
        .asText();
  }
}
