package io.sluice.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.json.Json;
import java.net.http.HttpResponse;
import java.util.Map;
import java.util.UUID;

/** Batch calls on the wire for tests: OpenAI files and batches, Anthropic message batches. */
final class BatchWire {
  static final Map<String, String> OPENAI = Map.of("Authorization", "Bearer sk-test");
  static final Map<String, String> ANTHROPIC =
      Map.of(
          "x-api-key", "k", "anthropic-version", "2023-06-01", "content-type", "application/json");

  private final RawHttp http;

  BatchWire(Simulator simulator) {
    this.http = new RawHttp(simulator.baseUrl());
  }

  /** An OpenAI input file of {@code lines} chat lines for {@code model}, uploaded. */
  String upload(String model, int lines) {
    StringBuilder content = new StringBuilder();
    for (int i = 0; i < lines; i++) {
      content
          .append("{\"custom_id\":\"r")
          .append(i)
          .append("\",\"method\":\"POST\",\"url\":\"/v1/chat/completions\",\"body\":{\"model\":\"")
          .append(model)
          .append("\",\"messages\":[{\"role\":\"user\",\"content\":\"sum: ")
          .append(i)
          .append("\"}]}}\n");
    }
    String boundary = "b-" + UUID.randomUUID();
    String body =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"in.jsonl\"\r\n"
            + "Content-Type: application/jsonl\r\n\r\n"
            + content
            + "\r\n--"
            + boundary
            + "--\r\n";
    HttpResponse<String> response =
        http.post(
            "/v1/files",
            body,
            Map.of(
                "Authorization",
                "Bearer sk-test",
                "Content-Type",
                "multipart/form-data; boundary=" + boundary));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return RawHttp.json(response.body()).path("id").asText();
  }

  /** {@code POST /v1/batches} for an uploaded file. */
  HttpResponse<String> createOpenAi(String fileId) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("input_file_id", fileId)
        .put("endpoint", "/v1/chat/completions")
        .put("completion_window", "24h");
    return http.post("/v1/batches", body.toString(), OPENAI);
  }

  /** Uploads and creates an OpenAI batch; returns the created batch object. */
  JsonNode openAiBatch(String model, int lines) {
    HttpResponse<String> response = createOpenAi(upload(model, lines));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return RawHttp.json(response.body());
  }

  JsonNode openAiStatus(String batchId) {
    return RawHttp.json(http.get("/v1/batches/" + batchId, OPENAI).body());
  }

  /** {@code POST /v1/messages/batches} with {@code lines} requests for {@code model}. */
  HttpResponse<String> createAnthropic(String model, int lines) {
    ArrayNode requests = Json.mapper().createArrayNode();
    JsonNode params = RawHttp.json(AnthropicMessagesTest.message(model, "sum: 1 2", 16));
    for (int i = 0; i < lines; i++) {
      requests.addObject().put("custom_id", "r" + i).set("params", params);
    }
    String body = Json.mapper().createObjectNode().set("requests", requests).toString();
    return http.post("/v1/messages/batches", body, ANTHROPIC);
  }

  JsonNode anthropicStatus(String batchId) {
    return RawHttp.json(http.get("/v1/messages/batches/" + batchId, ANTHROPIC).body());
  }
}
