package io.sluice.launcher.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.launcher.client.SluiceClient;
import io.sluice.providers.pricing.PriceTable;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.schemas.json.Json;
import java.math.BigDecimal;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The deferred lane as {@code sluice local} runs it, on the real test Kafka broker and a real
 * PostgreSQL database: jobs submitted over HTTP with {@code "mode":"deferred"} go through the
 * batch-submitter into the simulator's batch APIs (OpenAI Batch API, Anthropic Message Batches) and
 * end {@code succeeded} with the expected outputs, at the batch price (half the realtime price of
 * the same usage), without one realtime call.
 */
class DeferredJobTest {
  private static final Map<String, String> EXPECTED_OUTPUT =
      Map.of("reverse: abc", "cba", "reverse: deferred", "derrefed", "reverse: xyz", "zyx");
  private static final PriceTable PRICES = PriceTable.defaults();

  @TempDir static Path dataDir;
  private static PostgresEndpoint database;
  private static LocalPlatform platform;
  private static SluiceClient client;

  @BeforeAll
  static void startPlatform() {
    database = TestInfrastructure.newDatabase();
    platform =
        LocalPlatform.startOn(
            new LocalOptions(dataDir, 0, "unlimited", Duration.ofMillis(5), 4),
            database,
            TestInfrastructure.kafka(),
            TestInfrastructure.uniqueName("deferred"));
    client = new SluiceClient(platform.apiUrl(), platform.devApiKey());
  }

  @AfterAll
  static void stopPlatform() {
    client.close();
    platform.close();
    database.close();
  }

  @Test
  void shouldRunDeferredOpenAiJobsThroughAProviderBatchAtTheBatchPrice() throws Exception {
    Map<String, String> jobs = submitDeferred("gpt-4o-mini");

    assertSucceededAtTheBatchPrice("gpt-4o-mini", jobs);
    assertThat(openAiBatchLines())
        .as("lines completed in the simulator's OpenAI batches")
        .isGreaterThanOrEqualTo(jobs.size());
    assertNoRealtimeCall("gpt-4o-mini");
  }

  @Test
  void shouldRunDeferredAnthropicJobsThroughAProviderBatchAtTheBatchPrice() throws Exception {
    Map<String, String> jobs = submitDeferred("claude-haiku-4-5");

    assertSucceededAtTheBatchPrice("claude-haiku-4-5", jobs);
    assertThat(anthropicBatchLines())
        .as("requests succeeded in the simulator's Anthropic message batches")
        .isGreaterThanOrEqualTo(jobs.size());
    assertNoRealtimeCall("claude-haiku-4-5");
  }

  /** Job ID to prompt, one deferred job per prompt of {@link #EXPECTED_OUTPUT}. */
  private static Map<String, String> submitDeferred(String model) {
    Map<String, String> prompts = new LinkedHashMap<>();
    for (String prompt : EXPECTED_OUTPUT.keySet()) {
      JsonNode accepted =
          client.submit(
              Map.of(
                  "model",
                  model,
                  "mode",
                  "deferred",
                  "messages",
                  List.of(Map.of("role", "user", "content", prompt))));
      assertThat(accepted.get("status").asText()).isEqualTo("queued");
      prompts.put(accepted.get("id").asText(), prompt);
    }
    return prompts;
  }

  private static void assertSucceededAtTheBatchPrice(String model, Map<String, String> jobs) {
    await()
        .atMost(Duration.ofMinutes(1))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> jobs.keySet().stream().allMatch(DeferredJobTest::isDone));
    for (var entry : jobs.entrySet()) {
      JsonNode job = client.job(entry.getKey());
      assertThat(job.get("status").asText())
          .as("status of %s", entry.getValue())
          .isEqualTo("succeeded");
      assertThat(job.get("output").asText())
          .as("output of %s", entry.getValue())
          .isEqualTo(EXPECTED_OUTPUT.get(entry.getValue()));
      TokenUsage usage =
          new TokenUsage(
              job.at("/usage/input_tokens").asLong(), job.at("/usage/output_tokens").asLong());
      assertThat(usage.inputTokens()).isPositive();
      assertThat(usage.outputTokens()).isPositive();
      BigDecimal batchPrice = PRICES.batchCost(model, usage);
      BigDecimal realtimePrice = PRICES.realtimeCost(model, usage);
      assertThat(batchPrice.multiply(BigDecimal.TWO)).isEqualByComparingTo(realtimePrice);
      assertThat(job.get("cost_usd").decimalValue())
          .as("cost of %s", entry.getValue())
          .isEqualByComparingTo(batchPrice);
    }
  }

  private static boolean isDone(String id) {
    String status = client.job(id).get("status").asText();
    return !status.equals("queued") && !status.equals("running");
  }

  private static long openAiBatchLines() throws Exception {
    JsonNode list =
        simulatorGet(
            "/v1/batches?limit=100", "Authorization", "Bearer " + LocalPlatform.SIMULATOR_KEY);
    return sum(list, "/request_counts/completed");
  }

  private static long anthropicBatchLines() throws Exception {
    JsonNode list =
        simulatorGet(
            "/v1/messages/batches?limit=100",
            "x-api-key",
            LocalPlatform.SIMULATOR_KEY,
            "anthropic-version",
            "2023-06-01");
    return sum(list, "/request_counts/succeeded");
  }

  private static long sum(JsonNode list, String pointer) {
    long total = 0;
    for (JsonNode batch : list.get("data")) {
      total += batch.at(pointer).asLong();
    }
    return total;
  }

  private static void assertNoRealtimeCall(String model) throws Exception {
    JsonNode meter = simulatorGet("/_sim/meter");
    for (JsonNode total : meter.get("totals")) {
      if (total.get("model").asText().startsWith(model)) {
        assertThat(total.get("requests").asLong()).as("realtime calls of %s", model).isZero();
      }
    }
  }

  private static JsonNode simulatorGet(String path, String... headers) throws Exception {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpRequest.Builder request =
          HttpRequest.newBuilder(URI.create(platform.simulatorUrl() + path)).GET();
      if (headers.length > 0) {
        request.headers(headers);
      }
      HttpResponse<String> response =
          http.send(request.build(), HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as("GET %s", path).isEqualTo(200);
      return Json.mapper().readTree(response.body());
    }
  }
}
