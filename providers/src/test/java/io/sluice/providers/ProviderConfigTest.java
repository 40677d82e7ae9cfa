package io.sluice.providers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.schemas.model.LimitStyle;
import io.sluice.schemas.model.RateLimitHeaderDialect;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProviderConfigTest {
  private static final String KEY = "sk-test-secret-1234567890";

  @Test
  void shouldRefuseAnAdapterOfTheWrongKindNamingProviderAndKinds() {
    ProviderConfig openai = ProviderConfig.openai("sk-test-key-1234567890");

    assertThat(openai.requireKind(ProviderKind.OPENAI, "the OpenAI batch adapter"))
        .isSameAs(openai);
    assertThatThrownBy(
            () ->
                new io.sluice.providers.anthropic.AnthropicProvider(
                    openai, java.time.Clock.systemUTC()))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage(
            "provider 'openai' is of kind openai, which the Anthropic adapter cannot serve: it"
                + " needs kind anthropic");
  }

  @Test
  void shouldApplyNamedDefaults() {
    ProviderConfig config = ProviderConfig.anthropic(KEY);
    assertThat(config.baseUrl()).isEqualTo(URI.create("https://api.anthropic.com"));
    assertThat(config.connectTimeout()).isEqualTo(ProviderConfig.DEFAULT_CONNECT_TIMEOUT);
    assertThat(config.requestTimeout()).isEqualTo(ProviderConfig.DEFAULT_REQUEST_TIMEOUT);
    assertThat(config.defaultMaxTokens()).isEqualTo(ProviderConfig.DEFAULT_MAX_TOKENS);
    assertThat(config.anthropicVersion()).isEqualTo("2023-06-01");
    assertThat(config.batchLimits()).isEqualTo(BatchLimits.ANTHROPIC);
    assertThat(ProviderConfig.openai(KEY).batchLimits()).isEqualTo(BatchLimits.OPENAI);
    assertThat(ProviderConfig.openai(KEY).defaultMaxTokens()).isNull();
  }

  @Test
  void shouldAcceptBaseUrlsWithOrWithoutV1() {
    ProviderConfig config =
        ProviderConfig.openAiCompatible("ollama", URI.create("http://localhost:11434/v1/"), null);
    assertThat(config.resolve("/v1/chat/completions"))
        .isEqualTo(URI.create("http://localhost:11434/v1/chat/completions"));
    assertThat(
            ProviderConfig.openAiCompatible(
                    "router", URI.create("https://openrouter.ai/api/v1"), "k")
                .resolve("/v1/chat/completions"))
        .isEqualTo(URI.create("https://openrouter.ai/api/v1/chat/completions"));
  }

  @Test
  void shouldNameTheBadSettingInItsMessage() {
    assertThatThrownBy(() -> ProviderConfig.openai(KEY).withTimeouts(Duration.ZERO, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("provider 'openai': connect-timeout must be positive, was PT0S");
    assertThatThrownBy(() -> ProviderConfig.openai(KEY).withTimeouts(null, Duration.ofSeconds(-1)))
        .hasMessageContaining("request-timeout must be positive");
    assertThatThrownBy(() -> ProviderConfig.of("openai", ProviderKind.OPENAI, null, null))
        .hasMessage("provider 'openai': api-key is required for a provider of kind openai");
    assertThatThrownBy(() -> ProviderConfig.openAiCompatible("vllm", null, null))
        .hasMessage("provider 'vllm': base-url is required for kind openai-compatible");
    assertThatThrownBy(
            () -> ProviderConfig.openAiCompatible("vllm", URI.create("ftp://host/v1"), null))
        .hasMessageContaining("provider 'vllm': base-url must be an absolute http(s) URL");
    assertThatThrownBy(() -> ProviderConfig.anthropic(KEY).withDefaultMaxTokens(0))
        .hasMessage("provider 'anthropic': default-max-tokens must be at least 1, was 0");
    assertThatThrownBy(() -> ProviderConfig.of("x", null, null, KEY))
        .hasMessageContaining("provider 'x': kind must be set");
  }

  @Test
  void shouldNeverShowTheApiKey() {
    ProviderConfig config = ProviderConfig.openai(KEY);
    assertThat(config.toString()).doesNotContain(KEY).contains("[redacted]");
    assertThat(config.apiKey().toString()).doesNotContain(KEY);
    assertThat(config.apiKey().redact("Incorrect API key provided: " + KEY + "."))
        .isEqualTo("Incorrect API key provided: [redacted].");
  }

  @Test
  void shouldReadKindsByConfigName() {
    assertThat(ProviderKind.fromConfigName("openai-compatible"))
        .isEqualTo(ProviderKind.OPENAI_COMPATIBLE);
    assertThat(ProviderKind.fromConfigName("Anthropic")).isEqualTo(ProviderKind.ANTHROPIC);
    assertThat(ProviderKind.fromConfigName("gemini")).isEqualTo(ProviderKind.GEMINI);
    assertThatThrownBy(() -> ProviderKind.fromConfigName("mistral"))
        .hasMessage(
            "unknown provider kind 'mistral'; expected one of openai, anthropic, gemini,"
                + " openai-compatible");
  }

  @Test
  void shouldTakeEachRegisteredKindsDefaultsFromItsRegistration() {
    ProviderConfig gemini = ProviderConfig.gemini(KEY);

    assertThat(gemini.baseUrl()).isEqualTo(URI.create("https://generativelanguage.googleapis.com"));
    assertThat(gemini.defaultMaxTokens()).isNull();
    assertThat(gemini.batchLimits()).isNull();
    assertThat(ProviderKind.GEMINI.rateLimitHeaders()).isEqualTo(RateLimitHeaderDialect.NONE);
    assertThat(ProviderKind.GEMINI.limitStyle()).isEqualTo(LimitStyle.REQUESTS_AND_INPUT_TOKENS);
    assertThat(ProviderKind.GEMINI.hasBatchApi()).isFalse();
    assertThat(ProviderKind.OPENAI.defaultBaseUrl()).contains(URI.create("https://api.openai.com"));
    assertThat(ProviderKind.OPENAI_COMPATIBLE.registration()).isEmpty();
    assertThat(
            ProviderConfig.of(
                    "gemini", ProviderKind.GEMINI, URI.create("http://127.0.0.1:8089/v1beta/"), KEY)
                .resolve("/v1beta/models/gemini-2.5-flash:generateContent"))
        .isEqualTo(
            URI.create("http://127.0.0.1:8089/v1beta/models/gemini-2.5-flash:generateContent"));
    assertThatThrownBy(() -> ProviderConfig.of("gemini", ProviderKind.GEMINI, null, null))
        .hasMessage("provider 'gemini': api-key is required for a provider of kind gemini");
  }

  @Test
  void shouldFindTheKindOfEachProviderName() {
    assertThat(ProviderKind.forProvider("openai")).isEqualTo(ProviderKind.OPENAI);
    assertThat(ProviderKind.forProvider("anthropic")).isEqualTo(ProviderKind.ANTHROPIC);
    assertThat(ProviderKind.forProvider("gemini")).isEqualTo(ProviderKind.GEMINI);
    assertThat(ProviderKind.forProvider("vllm")).isEqualTo(ProviderKind.OPENAI_COMPATIBLE);
  }

  @Test
  void shouldBuildTheAdapterForEachKind() {
    ProviderFactory factory = new ProviderFactory();
    try (Provider openai = factory.realtime(ProviderConfig.openai(KEY));
        Provider anthropic = factory.realtime(ProviderConfig.anthropic(KEY));
        Provider gemini = factory.realtime(ProviderConfig.gemini(KEY));
        Provider vllm =
            factory.realtime(
                ProviderConfig.openAiCompatible("vllm", URI.create("http://vllm:8000"), null))) {
      assertThat(openai.name()).isEqualTo("openai");
      assertThat(anthropic.name()).isEqualTo("anthropic");
      assertThat(gemini).isInstanceOf(io.sluice.providers.gemini.GeminiProvider.class);
      assertThat(vllm.name()).isEqualTo("vllm");
    }
    assertThat(
            factory.batch(
                ProviderConfig.openAiCompatible("vllm", URI.create("http://vllm:8000"), null)))
        .isEmpty();
    assertThat(factory.batch(ProviderConfig.gemini(KEY))).isEmpty();
    factory
        .batch(ProviderConfig.anthropic(KEY))
        .ifPresentOrElse(
            batch -> {
              assertThat(batch.limits()).isEqualTo(BatchLimits.ANTHROPIC);
              batch.close();
            },
            () -> {
              throw new AssertionError("anthropic has a batch API");
            });
  }
}
