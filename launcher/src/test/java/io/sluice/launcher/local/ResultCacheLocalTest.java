package io.sluice.launcher.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.embedded.PostgresEndpoint;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.launcher.client.SluiceClient;
import io.sluice.schemas.json.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The result cache end to end as {@code sluice local} runs it, with the simulator's meter as the
 * witness: a repeated deterministic job is answered with the first one's output and the provider is
 * called once; the same request at a sampling temperature is called twice.
 */
class ResultCacheLocalTest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir static Path dataDir;
  private static PostgresEndpoint database;
  private static LocalPlatform platform;
  private static SluiceClient client;
  private static HttpClient http;

  @BeforeAll
  static void startPlatform() {
    database = TestInfrastructure.newDatabase();
    platform =
        LocalPlatform.startOn(
            new LocalOptions(dataDir, 0, "unlimited", Duration.ofMillis(5), 4),
            database,
            TestInfrastructure.kafka(),
            TestInfrastructure.uniqueName("cache"));
    client = new SluiceClient(platform.apiUrl(), platform.devApiKey());
    http = HttpClient.newHttpClient();
  }

  @AfterAll
  static void stopPlatform() {
    http.close();
    client.close();
    platform.close();
    database.close();
  }

  @Test
  void shouldCallTheProviderOnceForARepeatedDeterministicJob() throws Exception {
    String model = "gpt-4.1-mini";
    String prompt = "reverse: " + UUID.randomUUID();
    JsonNode first = awaitEnd(client.submit(body(model, prompt, 0.0)).get("id").asText());
    assertThat(first.get("status").asText()).as("%s", first).isEqualTo("succeeded");

    JsonNode repeated = client.submit(body(model, prompt, 0.0));

    assertThat(repeated.get("status").asText()).isEqualTo("succeeded");
    assertThat(repeated.get("cached").asBoolean()).isTrue();
    assertThat(repeated.get("cached_from").asText()).isEqualTo(first.get("id").asText());
    assertThat(repeated.get("output").asText()).isEqualTo(first.get("output").asText());
    assertThat(repeated.get("cache_saved_usd").decimalValue())
        .isEqualByComparingTo(first.get("cost_usd").decimalValue());
    assertThat(metered(model)).isEqualTo(1);
  }

  @Test
  void shouldCallTheProviderEachTimeForASampledJob() throws Exception {
    String model = "claude-haiku-4-5";
    String prompt = "reverse: " + UUID.randomUUID();
    awaitEnd(client.submit(body(model, prompt, 0.8)).get("id").asText());

    JsonNode again = awaitEnd(client.submit(body(model, prompt, 0.8)).get("id").asText());

    assertThat(again.get("status").asText()).isEqualTo("succeeded");
    assertThat(again.has("cached")).isFalse();
    assertThat(metered(model)).isEqualTo(2);
  }

  private static Map<String, Object> body(String model, String prompt, double temperature) {
    return Map.of(
        "model",
        model,
        "temperature",
        temperature,
        "messages",
        List.of(Map.of("role", "user", "content", prompt)));
  }

  private static JsonNode awaitEnd(String id) {
    await()
        .atMost(WAIT)
        .pollInterval(Duration.ofMillis(200))
        .until(
            () -> {
              String status = client.job(id).get("status").asText();
              return !status.equals("queued") && !status.equals("running");
            });
    return client.job(id);
  }

  /** Calls of {@code model} the simulator has metered. */
  private static long metered(String model) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(platform.simulatorUrl() + "/_sim/meter"))
                .GET()
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).isEqualTo(200);
    for (JsonNode total : Json.mapper().readTree(response.body()).get("totals")) {
      if (total.get("model").asText().equals(model)) {
        return total.get("requests").asLong();
      }
    }
    return 0;
  }
}
