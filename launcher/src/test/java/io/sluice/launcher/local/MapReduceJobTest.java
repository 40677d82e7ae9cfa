package io.sluice.launcher.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.launcher.client.SluiceClient;
import io.sluice.providers.pricing.PriceTable;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Map-reduce end to end as {@code sluice local} runs it, over HTTP on the real test Kafka broker
 * and PostgreSQL with the simulator: a document whose count of "needle" is known from the text
 * alone is chunked, counted per chunk and summed in a reduce tree of several levels; the answer is
 * that count, and the result's chunks, tree depth and calls are the ones {@code POST
 * /v1/jobs/estimate} gave. Caps and a reduce that cannot converge are refused with 422 before any
 * provider call.
 */
class MapReduceJobTest {
  private static final String MODEL = "gpt-4o-mini";

  @TempDir static Path dataDir;
  private static PostgresEndpoint database;
  private static LocalPlatform platform;
  private static SluiceClient client;

  @BeforeAll
  static void startPlatform() {
    database = TestInfrastructure.newDatabase();
    platform =
        LocalPlatform.startOn(
            new LocalOptions(dataDir, 0, "unlimited", Duration.ofMillis(5), 8),
            database,
            TestInfrastructure.kafka(),
            TestInfrastructure.uniqueName("mapreduce"));
    client = new SluiceClient(platform.apiUrl(), platform.devApiKey());
  }

  @AfterAll
  static void stopPlatform() {
    client.close();
    platform.close();
    database.close();
  }

  /** 48 paragraphs of about 30 tokens, paragraph i holding i mod 4 needles. */
  private static String document() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 48; i++) {
      text.append("Section ").append(i).append(" of the report covers the quarterly figures");
      text.append(" needle".repeat(i % 4));
      text.append(". The rest of this paragraph is filler so that it has some length.\n\n");
    }
    return text.toString();
  }

  private static int needles(String text) {
    return text.split("needle", -1).length - 1;
  }

  /**
   * Each partial answer counts at its max_tokens (40,000): a gpt-4o-mini reduce call (128k) holds
   * two, so the reduce is a binary tree of several levels.
   */
  private static Map<String, Object> body(Map<String, Object> extra) {
    Map<String, Object> body = new HashMap<>();
    body.put("type", "map_reduce");
    body.put("model", MODEL);
    body.put("document", document());
    body.put("chunk_tokens", 120);
    body.put("map", Map.of("instruction", "count occurrences of \"needle\"", "max_tokens", 40_000));
    body.put("reduce", Map.of("instruction", "sum the numbers", "max_tokens", 40_000));
    body.putAll(extra);
    return body;
  }

  @Test
  void shouldReduceADocumentToItsIndependentCountThroughTheTreeTheEstimateForetold()
      throws Exception {
    JsonNode estimate = post("/v1/jobs/estimate", body(Map.of()));
    assertThat(estimate.get("tree_depth").asInt()).as("levels of reduce").isGreaterThanOrEqualTo(3);
    long callsBefore = simulatorRequests();

    JsonNode accepted = client.submit(body(Map.of()));
    String id = accepted.get("id").asText();
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> isDone(client.job(id)));

    JsonNode job = client.job(id);
    assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
    assertThat(job.get("output").asText()).isEqualTo(Integer.toString(needles(document())));
    assertThat(job.at("/progress/chunks_total").asInt()).isEqualTo(estimate.get("chunks").asInt());
    assertThat(job.at("/progress/chunks_done").asInt()).isEqualTo(estimate.get("chunks").asInt());
    assertThat(job.at("/progress/tree_depth").asInt())
        .isEqualTo(estimate.get("tree_depth").asInt());
    assertThat(job.at("/progress/map_calls").asInt()).isEqualTo(estimate.get("map_calls").asInt());
    assertThat(job.at("/progress/reduce_calls").asInt())
        .isEqualTo(estimate.get("reduce_calls").asInt());
    assertThat(job.at("/progress/skipped_chunks").size()).isZero();
    assertThat(job.get("attempts").asInt()).isEqualTo(estimate.get("calls").asInt());
    TokenUsage usage =
        new TokenUsage(
            job.at("/usage/input_tokens").asLong(), job.at("/usage/output_tokens").asLong());
    assertThat(usage.inputTokens()).isPositive();
    assertThat(job.get("cost_usd").decimalValue())
        .as("the sum of every call's cost")
        .isEqualByComparingTo(PriceTable.defaults().realtimeCost(MODEL, usage));
    assertThat(simulatorRequests() - callsBefore)
        .as("provider calls")
        .isEqualTo(estimate.get("calls").asLong());
  }

  @Test
  void shouldRunADeferredJobsCallsThroughProviderBatchesAtTheBatchPrice() throws Exception {
    Map<String, Object> body =
        body(Map.of("mode", "deferred", "chunk_tokens", 400, "document", document()));
    long realtimeBefore = simulatorRequests();

    String id = client.submit(body).get("id").asText();
    await()
        .atMost(Duration.ofMinutes(2))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> isDone(client.job(id)));

    JsonNode job = client.job(id);
    assertThat(job.get("status").asText()).as(job.toString()).isEqualTo("succeeded");
    assertThat(job.get("output").asText()).isEqualTo(Integer.toString(needles(document())));
    TokenUsage usage =
        new TokenUsage(
            job.at("/usage/input_tokens").asLong(), job.at("/usage/output_tokens").asLong());
    assertThat(job.get("cost_usd").decimalValue())
        .isEqualByComparingTo(PriceTable.defaults().batchCost(MODEL, usage));
    assertThat(simulatorRequests()).as("realtime calls").isEqualTo(realtimeBefore);
  }

  @Test
  void shouldRefuseCapsAndAReduceThatCannotConvergeBeforeAnyProviderCall() throws Exception {
    long callsBefore = simulatorRequests();

    HttpResponse<String> chunks = postRaw("/v1/jobs", body(Map.of("max_chunks", 2)));
    HttpResponse<String> cost = postRaw("/v1/jobs", body(Map.of("max_cost_usd", 0.0001)));
    HttpResponse<String> depth = postRaw("/v1/jobs", body(Map.of("max_depth", 2)));

    assertThat(chunks.statusCode()).isEqualTo(422);
    assertThat(json(chunks).at("/error/fields/0/field").asText()).isEqualTo("max_chunks");
    assertThat(json(chunks).at("/estimate/chunks").asInt()).isGreaterThan(2);
    assertThat(cost.statusCode()).isEqualTo(422);
    assertThat(json(cost).at("/error/fields/0/field").asText()).isEqualTo("max_cost_usd");
    assertThat(json(cost).at("/estimate/cost_usd/realtime").decimalValue()).isPositive();
    assertThat(depth.statusCode()).isEqualTo(422);
    assertThat(json(depth).at("/error/message").asText())
        .contains("does not converge within 2 levels");
    assertThat(simulatorRequests()).as("provider calls").isEqualTo(callsBefore);
    assertThatThrownBy(() -> client.submit(body(Map.of("max_chunks", 2))))
        .isInstanceOf(SluiceClient.ApiException.class);
  }

  private static boolean isDone(JsonNode job) {
    String status = job.get("status").asText();
    return !status.equals("queued") && !status.equals("running");
  }

  private static JsonNode post(String path, Map<String, Object> body) throws Exception {
    HttpResponse<String> response = postRaw(path, body);
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
    return json(response);
  }

  private static HttpResponse<String> postRaw(String path, Map<String, Object> body)
      throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      return http.send(
          HttpRequest.newBuilder(platform.apiUrl().resolve(path))
              .header("Authorization", "Bearer " + platform.devApiKey())
              .header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(Json.mapper().writeValueAsString(body)))
              .build(),
          HttpResponse.BodyHandlers.ofString());
    }
  }

  private static JsonNode json(HttpResponse<String> response) throws Exception {
    return Json.mapper().readTree(response.body());
  }

  /** Realtime calls the simulator has answered for the model. */
  private static long simulatorRequests() throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(platform.simulatorUrl() + "/_sim/meter"))
                  .GET()
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      long requests = 0;
      for (JsonNode total : Json.mapper().readTree(response.body()).get("totals")) {
        if (total.get("model").asText().startsWith(MODEL)) {
          requests += total.get("requests").asLong();
        }
      }
      return requests;
    }
  }
}
