package io.sluice.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.json.Json;
import java.net.http.HttpResponse;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code #sim invalid-output}: schema-violating JSON for the first n answers of a conversation, the
 * directive kept from the first user message when a follow-up turn (a repair prompt) is the last;
 * and the request log that shows what each call sent.
 */
class InvalidOutputDirectiveTest {
  private static final String SCHEMA =
      "{\"type\":\"object\",\"required\":[\"city\",\"country\"],"
          + "\"properties\":{\"city\":{\"type\":\"string\"},\"country\":{\"type\":\"string\"}}}";

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
  void shouldViolateTheSchemaForTheFirstAnswersOfAConversationOnly() {
    String first = "#sim invalid-output=1\nWhere is the tower?";

    JsonNode answer = openAiAnswer(conversation("gpt-4o-mini", first));
    JsonNode repaired =
        openAiAnswer(
            conversation(
                "gpt-4o-mini", first, answer.toString(), "It lacks 'city'. Answer again."));

    assertThat(answer.has("city")).as("%s", answer).isFalse();
    assertThat(answer.has("country")).isTrue();
    assertThat(repaired.has("city")).as("%s", repaired).isTrue();
    assertThat(repaired.has("country")).isTrue();
  }

  @Test
  void shouldViolateTheSchemaEveryTimeWhenAskedToAlways() {
    String first = "#sim invalid-output=always\nWhere?";
    ObjectNode third =
        conversation("gpt-4.1-mini", first, "{\"country\":\"x\"}", "again", "{\"country\":\"y\"}");
    ((ArrayNode) third.get("messages"))
        .add(Json.mapper().createObjectNode().put("role", "user").put("content", "and again"));

    assertThat(openAiAnswer(conversation("gpt-4.1-mini", first)).has("city")).isFalse();
    assertThat(openAiAnswer(third).has("city")).isFalse();
  }

  @Test
  void shouldViolateAnthropicsOutputFormatToo() {
    ObjectNode body = conversation("claude-haiku-4-5", "#sim invalid-output=1\nWhere?");
    body.remove("response_format");
    body.put("max_tokens", 200);
    body.putObject("output_config")
        .putObject("format")
        .put("type", "json_schema")
        .set("schema", RawHttp.json(SCHEMA));

    HttpResponse<String> response = http.anthropic(body.toString());

    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    String text = RawHttp.json(response.body()).at("/content/0/text").asText();
    assertThat(RawHttp.json(text).has("city")).as(text).isFalse();
  }

  @Test
  void shouldLogWhatEachCallSent() {
    simulator.requests().clear();
    openAiAnswer(conversation("gpt-4.1-nano", "#sim invalid-output=1\nlog me", "{}", "repair me"));

    RequestLog.Call call = simulator.requests().calls("gpt-4.1-nano").getLast();
    assertThat(call.api()).isEqualTo("openai");
    assertThat(call.messages())
        .extracting(RequestLog.Message::role)
        .containsExactly("user", "assistant", "user");
    assertThat(call.lastTextOf("user")).isEqualTo("repair me");
    JsonNode served = RawHttp.json(http.get("/_sim/requests", Map.of()).body());
    assertThat(served.at("/calls/0/messages/2/text").asText()).isEqualTo("repair me");
    assertThat(served.at("/calls/0/model").asText()).isEqualTo("gpt-4.1-nano");
  }

  /** A chat asking for SCHEMA whose turns alternate user, assistant, user, ... */
  private static ObjectNode conversation(String model, String... turns) {
    ObjectNode body = Json.mapper().createObjectNode().put("model", model);
    ArrayNode messages = body.putArray("messages");
    for (int i = 0; i < turns.length; i++) {
      messages.add(
          Json.mapper()
              .createObjectNode()
              .put("role", i % 2 == 0 ? "user" : "assistant")
              .put("content", turns[i]));
    }
    body.putObject("response_format")
        .put("type", "json_schema")
        .putObject("json_schema")
        .put("name", "place")
        .set("schema", RawHttp.json(SCHEMA));
    return body;
  }

  private static JsonNode openAiAnswer(ObjectNode body) {
    HttpResponse<String> response = http.openAi(body.toString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return RawHttp.json(RawHttp.json(response.body()).at("/choices/0/message/content").asText());
  }
}
