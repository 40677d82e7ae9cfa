package io.sluice.launcher.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.embedded.TestInfrastructure;
import io.sluice.launcher.client.SluiceClient;
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
                    TestInfrastructure.uniqueName("cache")));
    client = local.client;
  }

  @AfterAll
  static void stopPlatform() {
    local.close();
  }

  @Test
  void shouldCallTheProviderOnceForARepeatedDeterministicJob() {
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
  void shouldCallTheProviderEachTimeForASampledJob() {
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
    return local.awaitEnd(id, WAIT);
  }

  private static long metered(String model) {
    return local.metered(model);
  }
}
