package io.sluice.providers;

import io.sluice.providers.anthropic.AnthropicBatchProvider;
import io.sluice.providers.anthropic.AnthropicProvider;
import io.sluice.providers.openai.OpenAiBatchProvider;
import io.sluice.providers.openai.OpenAiProvider;
import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds provider adapters from configuration, for the launcher, the workers and the
 * batch-submitter. Each adapter owns an HTTP client: close it when done.
 */
public final class ProviderFactory {
  private final Clock clock;

  /** A factory whose adapters read time from the system clock (UTC). */
  public ProviderFactory() {
    this(Clock.systemUTC());
  }

  /**
   * @param clock the clock adapters use for rate-limit resets and retry hints
   */
  public ProviderFactory(Clock clock) {
    this.clock = Objects.requireNonNull(clock, "clock");
  }

  /** The realtime adapter for a provider account of any kind. */
  public Provider realtime(ProviderConfig config) {
    return switch (config.kind()) {
      case OPENAI, OPENAI_COMPATIBLE -> new OpenAiProvider(config, clock);
      case ANTHROPIC -> new AnthropicProvider(config, clock);
    };
  }

  /**
   * The batch adapter for a provider account, if its kind has a batch API (OpenAI and Anthropic do;
   * OpenAI-compatible servers do not).
   */
  public Optional<BatchProvider> batch(ProviderConfig config) {
    return switch (config.kind()) {
      case OPENAI -> Optional.of(new OpenAiBatchProvider(config, clock));
      case ANTHROPIC -> Optional.of(new AnthropicBatchProvider(config, clock));
      case OPENAI_COMPATIBLE -> Optional.empty();
    };
  }
}
