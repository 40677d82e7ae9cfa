package io.sluice.providers;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Which wire protocol a configured provider speaks. */
public enum ProviderKind {
  /** OpenAI: chat completions, Files and Batches; an API key is required. */
  OPENAI("openai"),
  /** Anthropic: Messages and Message Batches; an API key is required. */
  ANTHROPIC("anthropic"),
  /**
   * Any server that speaks OpenAI's {@code /v1/chat/completions} (vLLM, Ollama, LiteLLM,
   * OpenRouter): no batch API, API key optional.
   */
  OPENAI_COMPATIBLE("openai-compatible");

  private final String configName;

  ProviderKind(String configName) {
    this.configName = configName;
  }

  /**
   * The name used in configuration: {@code openai}, {@code anthropic}, {@code openai-compatible}.
   */
  public String configName() {
    return configName;
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
                    "unknown provider kind '"
                        + name
                        + "'; expected one of "
                        + Arrays.stream(values())
                            .map(ProviderKind::configName)
                            .collect(Collectors.joining(", "))));
  }
}
