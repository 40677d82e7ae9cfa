package io.sluice.providers;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * How to reach one provider account. Validated at construction: a bad setting fails with a message
 * that names the provider and the setting. {@code null} for an optional setting means its named
 * default. {@link #toString()} never shows the API key.
 *
 * @param name the provider's name in topics and configuration, e.g. {@code openai} or {@code vllm}
 * @param kind the wire protocol it speaks
 * @param baseUrl the API root, with or without a trailing {@code /v1} or {@code /v1beta} (e.g.
 *     {@code https://api.openai.com}, {@code http://localhost:11434/v1}); {@code null} for the
 *     kind's public endpoint, registered in its {@code ProviderRegistration} (required for {@link
 *     ProviderKind#OPENAI_COMPATIBLE})
 * @param apiKey the API key; required for every registered provider (OpenAI, Anthropic, Gemini),
 *     optional for OpenAI-compatible servers
 * @param connectTimeout how long to wait for a TCP/TLS connection; default {@link
 *     #DEFAULT_CONNECT_TIMEOUT}
 * @param requestTimeout how long one whole exchange (request, response headers and body) may take;
 *     default {@link #DEFAULT_REQUEST_TIMEOUT}
 * @param defaultMaxTokens {@code max_tokens} sent when a call does not set one; Anthropic requires
 *     a value, so it defaults to {@link #DEFAULT_MAX_TOKENS} there; elsewhere {@code null} leaves
 *     the provider's own default
 * @param anthropicVersion the {@code anthropic-version} header (Anthropic only); default {@link
 *     #DEFAULT_ANTHROPIC_VERSION}
 * @param batchLimits per-batch limits; default the provider's published limits ({@link
 *     BatchLimits#OPENAI}, {@link BatchLimits#ANTHROPIC}); {@code null} for kinds without a batch
 *     API (Gemini, OpenAI-compatible servers)
 */
public record ProviderConfig(
    String name,
    ProviderKind kind,
    URI baseUrl,
    ApiKey apiKey,
    Duration connectTimeout,
    Duration requestTimeout,
    Integer defaultMaxTokens,
    String anthropicVersion,
    BatchLimits batchLimits) {

  /** Default {@code connect-timeout}: 5 seconds. */
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /** Default {@code request-timeout}: 10 minutes, long enough for a large completion. */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofMinutes(10);

  /** Default {@code max_tokens} for Anthropic calls that set none. */
  public static final int DEFAULT_MAX_TOKENS = 4096;

  /** Default {@code anthropic-version} header. */
  public static final String DEFAULT_ANTHROPIC_VERSION = "2023-06-01";

  public ProviderConfig {
    if (name == null || name.isBlank()) {
      throw new IllegalArgumentException("provider name must not be blank");
    }
    if (kind == null) {
      throw invalid(name, "kind", "must be set (" + ProviderKind.configNames() + ")");
    }
    baseUrl = normalizedBaseUrl(name, kind, baseUrl);
    if (apiKey == null && kind.requiresApiKey()) {
      throw invalid(name, "api-key", "is required for a provider of kind " + kind.configName());
    }
    connectTimeout = positive(name, "connect-timeout", connectTimeout, DEFAULT_CONNECT_TIMEOUT);
    requestTimeout = positive(name, "request-timeout", requestTimeout, DEFAULT_REQUEST_TIMEOUT);
    if (defaultMaxTokens == null && kind.requiresMaxTokens()) {
      defaultMaxTokens = DEFAULT_MAX_TOKENS;
    }
    if (defaultMaxTokens != null && defaultMaxTokens < 1) {
      throw invalid(name, "default-max-tokens", "must be at least 1, was " + defaultMaxTokens);
    }
    if (anthropicVersion == null || anthropicVersion.isBlank()) {
      anthropicVersion = DEFAULT_ANTHROPIC_VERSION;
    }
    if (batchLimits == null) {
      batchLimits = kind.defaultBatchLimits();
    }
  }

  /** OpenAI at its public endpoint, named {@code openai}. */
  public static ProviderConfig openai(String apiKey) {
    return of("openai", ProviderKind.OPENAI, null, apiKey);
  }

  /** Anthropic at its public endpoint, named {@code anthropic}. */
  public static ProviderConfig anthropic(String apiKey) {
    return of("anthropic", ProviderKind.ANTHROPIC, null, apiKey);
  }

  /** The Google Gemini API at its public endpoint, named {@code gemini}. */
  public static ProviderConfig gemini(String apiKey) {
    return of("gemini", ProviderKind.GEMINI, null, apiKey);
  }

  /**
   * An OpenAI-compatible server.
   *
   * @param name e.g. {@code vllm}
   * @param baseUrl e.g. {@code http://localhost:8000/v1}
   * @param apiKey the key, or {@code null} when the server needs none
   */
  public static ProviderConfig openAiCompatible(String name, URI baseUrl, String apiKey) {
    return of(name, ProviderKind.OPENAI_COMPATIBLE, baseUrl, apiKey);
  }

  /**
   * A configuration with every optional setting at its default, as a launcher binds it from
   * configuration.
   *
   * @param name the provider's name
   * @param kind the wire protocol
   * @param baseUrl the API root, or {@code null} for the kind's public endpoint
   * @param apiKey the key, or {@code null}/blank for none
   */
  public static ProviderConfig of(String name, ProviderKind kind, URI baseUrl, String apiKey) {
    ApiKey key = apiKey == null || apiKey.isBlank() ? null : ApiKey.of(apiKey);
    return new ProviderConfig(name, kind, baseUrl, key, null, null, null, null, null);
  }

  /**
   * This configuration, checked to be of the kind an adapter needs.
   *
   * @param expected the kind the adapter speaks
   * @param adapter the adapter, for the message (e.g. {@code the Anthropic adapter})
   * @throws IllegalArgumentException naming the provider, its kind and the adapter
   */
  public ProviderConfig requireKind(ProviderKind expected, String adapter) {
    if (kind != expected) {
      throw new IllegalArgumentException(
          "provider '"
              + name
              + "' is of kind "
              + kind.configName()
              + ", which "
              + adapter
              + " cannot serve: it needs kind "
              + expected.configName());
    }
    return this;
  }

  /** This configuration pointed at another API root (e.g. the simulator). */
  public ProviderConfig withBaseUrl(URI newBaseUrl) {
    return new ProviderConfig(
        name,
        kind,
        newBaseUrl,
        apiKey,
        connectTimeout,
        requestTimeout,
        defaultMaxTokens,
        anthropicVersion,
        batchLimits);
  }

  /** This configuration with other timeouts. */
  public ProviderConfig withTimeouts(Duration newConnectTimeout, Duration newRequestTimeout) {
    return new ProviderConfig(
        name,
        kind,
        baseUrl,
        apiKey,
        newConnectTimeout,
        newRequestTimeout,
        defaultMaxTokens,
        anthropicVersion,
        batchLimits);
  }

  /** This configuration with other per-batch limits. */
  public ProviderConfig withBatchLimits(BatchLimits newBatchLimits) {
    return new ProviderConfig(
        name,
        kind,
        baseUrl,
        apiKey,
        connectTimeout,
        requestTimeout,
        defaultMaxTokens,
        anthropicVersion,
        newBatchLimits);
  }

  /** This configuration with another default {@code max_tokens}. */
  public ProviderConfig withDefaultMaxTokens(Integer newDefaultMaxTokens) {
    return new ProviderConfig(
        name,
        kind,
        baseUrl,
        apiKey,
        connectTimeout,
        requestTimeout,
        newDefaultMaxTokens,
        anthropicVersion,
        batchLimits);
  }

  /** The absolute URI of an API path such as {@code /v1/chat/completions}. */
  public URI resolve(String apiPath) {
    return URI.create(baseUrl.toString() + apiPath);
  }

  private static URI normalizedBaseUrl(String name, ProviderKind kind, URI baseUrl) {
    if (baseUrl == null) {
      return kind.defaultBaseUrl()
          .orElseThrow(
              () -> invalid(name, "base-url", "is required for kind " + kind.configName()));
    }
    String scheme = baseUrl.getScheme() == null ? "" : baseUrl.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || baseUrl.getHost() == null) {
      throw invalid(name, "base-url", "must be an absolute http(s) URL, was '" + baseUrl + "'");
    }
    if (baseUrl.getQuery() != null || baseUrl.getFragment() != null) {
      throw invalid(name, "base-url", "must not have a query or fragment, was '" + baseUrl + "'");
    }
    String text = baseUrl.toString();
    while (text.endsWith("/")) {
      text = text.substring(0, text.length() - 1);
    }
    for (String version : List.of("/v1", "/v1beta")) {
      if (text.endsWith(version)) {
        text = text.substring(0, text.length() - version.length());
      }
    }
    return URI.create(text);
  }

  private static Duration positive(String name, String key, Duration value, Duration fallback) {
    if (value == null) {
      return fallback;
    }
    if (value.isNegative() || value.isZero()) {
      throw invalid(name, key, "must be positive, was " + value);
    }
    return value;
  }

  private static IllegalArgumentException invalid(String name, String key, String problem) {
    return new IllegalArgumentException("provider '" + name + "': " + key + " " + problem);
  }

  @Override
  public String toString() {
    return "ProviderConfig[name="
        + name
        + ", kind="
        + kind.configName()
        + ", baseUrl="
        + baseUrl
        + ", apiKey="
        + (apiKey == null ? "none" : apiKey)
        + ", connectTimeout="
        + connectTimeout
        + ", requestTimeout="
        + requestTimeout
        + "]";
  }
}
