package io.sluice.simulator;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.json.Json;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Batch limits and validation on the wire, for both providers. */
class BatchLimitsTest {
  private static final ManualClock CLOCK = new ManualClock(Instant.parse("2026-03-01T10:00:00Z"));
  private static Simulator simulator;
  private static RawHttp http;
  private static final Map<String, String> OPENAI = Map.of("Authorization", "Bearer sk-test");
  private static final Map<String, String> ANTHROPIC =
      Map.of(
          "x-api-key", "k", "anthropic-version", "2023-06-01", "content-type", "application/json");

  @BeforeAll
  static void start() {
    simulator =
        Simulator.start(
            SimulatorConfig.builder()
                .clock(CLOCK)
                .latency(LatencySettings.NONE)
                .batches(BatchSettings.DEFAULT.withErrorShare(0.5))
                .build());
    http = new RawHttp(simulator.baseUrl());
  }

  @AfterAll
  static void stop() {
    simulator.close();
  }

  @Test
  void shouldRefuseAFileWithTwoModels() {
    HttpResponse<String> response =
        upload(
            line("a", "gpt-4o-mini", "/v1/chat/completions")
                + "\n"
                + line("b", "gpt-4o", "/v1/chat/completions"));

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response).path("message").asText()).contains("line 2").contains("same model");
  }

  @Test
  void shouldRefuseAFileWithMoreThan50000Lines() {
    StringBuilder file = new StringBuilder();
    for (int i = 0; i <= 50_000; i++) {
      file.append(line("r" + i, "gpt-4o-mini", "/v1/chat/completions")).append('\n');
    }

    HttpResponse<String> response = upload(file.toString());

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(error(response).path("message").asText()).contains("50000");
  }

  @Test
  void shouldAcceptOnlyA24hWindowAndAtMost16MetadataPairs() {
    String fileId = fileId(line("a", "gpt-4o-mini", "/v1/chat/completions"));
    ObjectNode metadata = Json.mapper().createObjectNode();
    for (int i = 0; i < 17; i++) {
      metadata.put("k" + i, "v");
    }

    HttpResponse<String> window = createBatch(fileId, "48h", null);
    HttpResponse<String> tooMuch = createBatch(fileId, "24h", metadata);

    assertThat(window.statusCode()).isEqualTo(400);
    assertThat(error(window).path("param").asText()).isEqualTo("completion_window");
    assertThat(tooMuch.statusCode()).isEqualTo(400);
    assertThat(error(tooMuch).path("param").asText()).isEqualTo("metadata");
  }

  @Test
  void shouldFailABatchWhoseLinesDoNotMatchItsEndpoint() {
    String fileId = fileId(line("a", "gpt-4o-mini", "/v1/responses"));
    JsonNode created = RawHttp.json(createBatch(fileId, "24h", null).body());

    CLOCK.advance(Duration.ofSeconds(1));
    JsonNode batch =
        RawHttp.json(http.get("/v1/batches/" + created.path("id").asText(), OPENAI).body());

    assertThat(batch.path("status").asText()).isEqualTo("failed");
    assertThat(batch.path("failed_at").asLong()).isPositive();
    assertThat(batch.path("errors").path("data").get(0).path("line").asInt()).isEqualTo(1);
  }

  @Test
  void shouldFailTheConfiguredShareOfLines() {
    StringBuilder file = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      file.append(line("r" + i, "gpt-4o-mini", "/v1/chat/completions")).append('\n');
    }
    JsonNode created = RawHttp.json(createBatch(fileId(file.toString()), "24h", null).body());

    CLOCK.advance(Duration.ofSeconds(5));
    JsonNode batch =
        RawHttp.json(http.get("/v1/batches/" + created.path("id").asText(), OPENAI).body());

    assertThat(batch.path("status").asText()).isEqualTo("completed");
    assertThat(batch.path("request_counts").path("failed").asInt()).isBetween(70, 130);
    assertThat(
            batch.path("request_counts").path("completed").asInt()
                + batch.path("request_counts").path("failed").asInt())
        .isEqualTo(200);
  }

  @Test
  void shouldRefuseMoreThan100000AnthropicRequestsWith413() {
    ArrayNode requests = Json.mapper().createArrayNode();
    ObjectNode params =
        (ObjectNode) RawHttp.json(AnthropicMessagesTest.message("claude-haiku-4-5", "x", 5));
    for (int i = 0; i <= 100_000; i++) {
      requests.addObject().put("custom_id", "r" + i).set("params", params);
    }
    String body = Json.mapper().createObjectNode().set("requests", requests).toString();

    HttpResponse<String> response = http.post("/v1/messages/batches", body, ANTHROPIC);

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(RawHttp.json(response.body()).path("error").path("type").asText())
        .isEqualTo("request_too_large");
  }

  @Test
  void shouldRefuseAnthropicResultsBeforeTheBatchEnds() {
    String body =
        "{\"requests\":[{\"custom_id\":\"a\",\"params\":"
            + AnthropicMessagesTest.message("claude-haiku-4-5", "x", 5)
            + "}]}";
    JsonNode created = RawHttp.json(http.post("/v1/messages/batches", body, ANTHROPIC).body());

    HttpResponse<String> early =
        http.get("/v1/messages/batches/" + created.path("id").asText() + "/results", ANTHROPIC);

    assertThat(early.statusCode()).isEqualTo(400);
    assertThat(RawHttp.json(early.body()).path("type").asText()).isEqualTo("error");
  }

  private static String line(String id, String model, String url) {
    return "{\"custom_id\":\""
        + id
        + "\",\"method\":\"POST\",\"url\":\""
        + url
        + "\",\"body\":{\"model\":\""
        + model
        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"sum: 1 2\"}]}}";
  }

  private static HttpResponse<String> upload(String content) {
    String boundary = "b-" + UUID.randomUUID();
    String body =
        "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"purpose\"\r\n\r\nbatch\r\n"
            + "--"
            + boundary
            + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"in.jsonl\"\r\n"
            + "Content-Type: application/jsonl\r\n\r\n"
            + content
            + "\r\n--"
            + boundary
            + "--\r\n";
    return http.post(
        "/v1/files",
        new String(body.getBytes(StandardCharsets.UTF_8), StandardCharsets.UTF_8),
        Map.of(
            "Authorization",
            "Bearer sk-test",
            "Content-Type",
            "multipart/form-data; boundary=" + boundary));
  }

  private static String fileId(String content) {
    HttpResponse<String> response = upload(content);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return RawHttp.json(response.body()).path("id").asText();
  }

  private static HttpResponse<String> createBatch(String fileId, String window, JsonNode metadata) {
    ObjectNode body = Json.mapper().createObjectNode();
    body.put("input_file_id", fileId)
        .put("endpoint", "/v1/chat/completions")
        .put("completion_window", window);
    if (metadata != null) {
      body.set("metadata", metadata);
    }
    return http.post("/v1/batches", body.toString(), OPENAI);
  }

  private static JsonNode error(HttpResponse<String> response) {
    return RawHttp.json(response.body()).path("error");
  }
}
