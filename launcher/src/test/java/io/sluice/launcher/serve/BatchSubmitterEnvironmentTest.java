package io.sluice.launcher.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.batch.BatchSubmitterSettings;
import io.sluice.providers.ProviderConfig;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code sluice serve batch-submitter} reads its settings from the environment. */
class BatchSubmitterEnvironmentTest {
  private static final Map<String, String> BASE =
      Map.of(
          "SLUICE_KAFKA_BOOTSTRAP", "kafka:9092",
          "SLUICE_JDBC_URL", "jdbc:postgresql://db/sluice");

  @Test
  void shouldServeEveryConfiguredAccountWithABatchApiAndSkipTheOthers() {
    Map<String, String> env = new HashMap<>(BASE);
    env.put("SLUICE_PROVIDER_OPENAI_API_KEY", "sk-openai");
    env.put("SLUICE_PROVIDER_ANTHROPIC_API_KEY", "sk-ant");
    env.put("SLUICE_PROVIDER_ANTHROPIC_BASE_URL", "http://sim:9000");
    env.put("SLUICE_PROVIDER_LOCAL_LLM_KIND", "openai-compatible");
    env.put("SLUICE_PROVIDER_LOCAL_LLM_BASE_URL", "http://llm:8000");
    env.put("SLUICE_TOPIC_PREFIX", "acme");

    BatchSubmitterSettings settings = ServeCommand.batchSubmitterSettings(new Environment(env));

    assertThat(settings.providers())
        .extracting(ProviderConfig::name)
        .containsExactly("anthropic", "openai");
    assertThat(settings.providers().getFirst().baseUrl()).isEqualTo(URI.create("http://sim:9000"));
    assertThat(settings.topics().prefix()).isEqualTo("acme");
    assertThat(settings.groupId()).isEqualTo("acme-batch-submitter");
    assertThat(settings.linger()).isEqualTo(BatchSubmitterSettings.DEFAULT_LINGER);
    assertThat(settings.pollInterval()).isEqualTo(BatchSubmitterSettings.DEFAULT_POLL_INTERVAL);
    assertThat(settings.maxAttempts()).isEqualTo(BatchSubmitterSettings.DEFAULT_MAX_ATTEMPTS);
  }

  @Test
  void shouldReadDurationsInShortAndIsoForm() {
    Map<String, String> env = new HashMap<>(BASE);
    env.put("SLUICE_PROVIDER_OPENAI_API_KEY", "sk-openai");
    env.put("SLUICE_BATCH_LINGER", "90s");
    env.put("SLUICE_BATCH_POLL_INTERVAL", "PT2M");
    env.put("SLUICE_BATCH_RETRY_DELAY", "500ms");
    env.put("SLUICE_BATCH_DEADLINE_LEAD", "26h");
    env.put("SLUICE_BATCH_MAX_ATTEMPTS", "5");

    BatchSubmitterSettings settings = ServeCommand.batchSubmitterSettings(new Environment(env));

    assertThat(settings.linger()).isEqualTo(Duration.ofSeconds(90));
    assertThat(settings.pollInterval()).isEqualTo(Duration.ofMinutes(2));
    assertThat(settings.retryDelay()).isEqualTo(Duration.ofMillis(500));
    assertThat(settings.deadlineLead()).isEqualTo(Duration.ofHours(26));
    assertThat(settings.maxAttempts()).isEqualTo(5);
  }

  @Test
  void shouldRefuseToStartWithoutAnAccountWithABatchApi() {
    Map<String, String> env = new HashMap<>(BASE);
    env.put("SLUICE_PROVIDER_GEMINI_API_KEY", "g-key");

    assertThatThrownBy(() -> ServeCommand.batchSubmitterSettings(new Environment(env)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SLUICE_PROVIDER_<NAME>_API_KEY");
  }

  @Test
  void shouldNameEveryBadVariable() {
    Map<String, String> env = new HashMap<>();
    env.put("SLUICE_PROVIDER_OPENAI_API_KEY", "sk-openai");
    env.put("SLUICE_BATCH_LINGER", "soon");

    assertThatThrownBy(() -> ServeCommand.batchSubmitterSettings(new Environment(env)))
        .hasMessageContaining("SLUICE_KAFKA_BOOTSTRAP must be set")
        .hasMessageContaining("SLUICE_JDBC_URL must be set")
        .hasMessageContaining("SLUICE_BATCH_LINGER must be a duration");
  }

  @Test
  void shouldReadQueueLimitsRefusalBackoffAndTheSharedDeadlinePolicy() {
    Map<String, String> env = new HashMap<>(BASE);
    env.put("SLUICE_PROVIDER_OPENAI_API_KEY", "sk-openai");
    env.put(
        "SLUICE_BATCH_QUEUE_LIMITS", "openai.tokens.gpt-4o-mini=5000,openai.creations-per-hour=7");
    env.put("SLUICE_BATCH_REFUSAL_BACKOFF", "2m");
    env.put("SLUICE_DEADLINE_REALTIME_LEAD", "20m");

    BatchSubmitterSettings settings = ServeCommand.batchSubmitterSettings(new Environment(env));

    assertThat(settings.queueLimits().get("openai").tokensFor("gpt-4o-mini")).isEqualTo(5000);
    assertThat(settings.queueLimits().get("openai").creationsPerHour()).isEqualTo(7);
    assertThat(settings.refusalBackoff()).isEqualTo(Duration.ofMinutes(2));
    assertThat(settings.deadlines().realtimeLead()).isEqualTo(Duration.ofMinutes(20));
  }

  @Test
  void shouldNameABadQueueLimit() {
    Map<String, String> env = new HashMap<>(BASE);
    env.put("SLUICE_PROVIDER_OPENAI_API_KEY", "sk-openai");
    env.put("SLUICE_BATCH_QUEUE_LIMITS", "openai.tokens.gpt-4o=-3");

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> ServeCommand.batchSubmitterSettings(new Environment(env)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("bad configuration")
        .hasMessageContaining("tokens.gpt-4o");
  }
}
