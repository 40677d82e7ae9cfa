package io.sluice.providers;

import io.sluice.providers.anthropic.AnthropicBatchProvider;
import io.sluice.providers.anthropic.AnthropicProvider;
import io.sluice.providers.gemini.GeminiProvider;
import io.sluice.providers.openai.OpenAiBatchProvider;
import io.sluice.providers.openai.OpenAiProvider;
import io.sluice.schemas.model.LimitStyle;
import io.sluice.schemas.model.ProviderRegistration;
import io.sluice.schemas.model.ProviderRegistry;
import io.sluice.schemas.model.RateLimitHeaderDialect;
import java.net.URI;
import java.time.Clock;
import java.util.Arrays;
import java.util.Collection;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Which wire protocol a configured provider speaks, and the one place a provider is registered in
 * Java: its adapters and its batch limits here, its data (default base URL, auth header, rate-limit
 * header dialect, limit style, models, prices, aliases) in its {@link ProviderRegistration}
 * resource in {@code schemas}. Nothing else switches over provider kinds.
 */
public enum ProviderKind {
  /** OpenAI: chat completions, Files and Batches; an API key is required. */
  OPENAI("openai", false, OpenAiProvider::new, OpenAiBatchProvider::new, BatchLimits.OPENAI),
  /** Anthropic: Messages and Message Batches; an API key is required; max_tokens is required. */
  ANTHROPIC(
      "anthropic",
      true,
      AnthropicProvider::new,
      AnthropicBatchProvider::new,
      BatchLimits.ANTHROPIC),
  /** Google Gemini API: generateContent (realtime only in Sluice); an API key is required. */
  GEMINI("gemini", false, GeminiProvider::new, null, null),
  /**
   * Any server that speaks OpenAI's {@code /v1/chat/completions} (vLLM, Ollama, LiteLLM,
   * OpenRouter): no batch API, API key optional, base URL required.
   */
  OPENAI_COMPATIBLE("openai-compatible", false, OpenAiProvider::new, null, null);

  /** Builds a realtime adapter. */
  @FunctionalInterface
  interface RealtimeAdapter {
    Provider create(ProviderConfig config, Clock clock);
  }

  /** Builds a batch adapter. */
  @FunctionalInterface
  interface BatchAdapter {
    BatchProvider create(ProviderConfig config, Clock clock);
  }

  private final String configName;
  private final boolean requiresMaxTokens;
  private final RealtimeAdapter realtime;
  private final BatchAdapter batch;
  private final BatchLimits batchLimits;

  ProviderKind(
      String configName,
      boolean requiresMaxTokens,
      RealtimeAdapter realtime,
      BatchAdapter batch,
      BatchLimits batchLimits) {
    this.configName = configName;
    this.requiresMaxTokens = requiresMaxTokens;
    this.realtime = realtime;
    this.batch = batch;
    this.batchLimits = batchLimits;
  }

  /**
   * The name used in configuration: {@code openai}, {@code anthropic}, {@code gemini}, {@code
   * openai-compatible}.
   */
  public String configName() {
    return configName;
  }

  /**
   * The provider's registration (models, prices, defaults); empty for {@link #OPENAI_COMPATIBLE},
   * whose servers are configured, not registered.
   */
  public Optional<ProviderRegistration> registration() {
    return ProviderRegistry.named(configName);
  }

  /** The public API root; empty when the base URL must be configured. */
  public Optional<URI> defaultBaseUrl() {
    return registration().map(ProviderRegistration::defaultBaseUrl);
  }

  /** Whether a provider of this kind needs an API key (every registered provider does). */
  public boolean requiresApiKey() {
    return registration().isPresent();
  }

  /** Whether every call must carry {@code max_tokens} (Anthropic). */
  public boolean requiresMaxTokens() {
    return requiresMaxTokens;
  }

  /** Which rate-limit headers the responses carry; OpenAI-compatible servers may send OpenAI's. */
  public RateLimitHeaderDialect rateLimitHeaders() {
    return registration()
        .map(ProviderRegistration::rateLimitHeaders)
        .orElse(RateLimitHeaderDialect.OPENAI);
  }

  /** Which rate-limit buckets apply; OpenAI-compatible servers are limited the OpenAI way. */
  public LimitStyle limitStyle() {
    return registration()
        .map(ProviderRegistration::limitStyle)
        .orElse(LimitStyle.REQUESTS_AND_TOKENS);
  }

  /** Whether Sluice has a batch adapter for this kind. */
  public boolean hasBatchApi() {
    return batch != null;
  }

  /** The provider's published per-batch limits, or {@code null} for kinds without batches. */
  public BatchLimits defaultBatchLimits() {
    return batchLimits;
  }

  /** The realtime adapter for a provider account of this kind. */
  Provider realtime(ProviderConfig config, Clock clock) {
    return realtime.create(config, clock);
  }

  /** The batch adapter for a provider account of this kind, if it has a batch API. */
  Optional<BatchProvider> batch(ProviderConfig config, Clock clock) {
    return Optional.ofNullable(batch).map(adapter -> adapter.create(config, clock));
  }

  /**
   * The kind of a provider by its name in topics and configuration: the registered provider of that
   * name ({@code openai}, {@code anthropic}, {@code gemini}), otherwise {@link #OPENAI_COMPATIBLE}.
   */
  public static ProviderKind forProvider(String providerName) {
    return Arrays.stream(values())
        .filter(kind -> kind.registration().isPresent())
        .filter(kind -> kind.configName.equals(providerName))
        .findFirst()
        .orElse(OPENAI_COMPATIBLE);
  }

  /**
   * Of these providers (catalogue names, each of the kind {@link #forProvider} gives it), those
   * Sluice has a batch adapter for: the ones whose deferred lane a batch-submitter serves.
   */
  public static Set<String> withBatchApi(Collection<String> providerNames) {
    return providerNames.stream()
        .filter(name -> forProvider(name).hasBatchApi())
        .collect(Collectors.toUnmodifiableSet());
  }

  /** The accepted configuration names, for messages: {@code openai, anthropic, ...}. */
  public static String configNames() {
    return Arrays.stream(values()).map(ProviderKind::configName).collect(Collectors.joining(", "));
  }

  /**
   * The kind for a configuration name (case-insensitive).
   *
   * @throws IllegalArgumentException naming the accepted values when the name is unknown
   */
  public static ProviderKind fromConfigName(String name) {
    return Arrays.stream(values())
        .filter(kind -> kind.configName.equalsIgnoreCase(name == null ? "" : name.strip()))
        .findFirst()
        .orElseThrow(
            () ->
                new IllegalArgumentException(
                    "unknown provider kind '" + name + "'; expected one of " + configNames()));
  }
}
