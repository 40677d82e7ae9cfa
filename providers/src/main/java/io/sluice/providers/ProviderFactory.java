package io.sluice.providers;

import java.time.Clock;
import java.util.Objects;
import java.util.Optional;

/**
 * Builds provider adapters from configuration, for the launcher, the workers and the
 * batch-submitter. Which adapter a kind uses is registered on {@link ProviderKind}. Each adapter
 * owns an HTTP client: close it when done.
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
    return config.kind().realtime(config, clock);
  }

  /**
   * The batch adapter for a provider account, if its kind has a batch API in Sluice (OpenAI and
   * Anthropic do; Gemini and OpenAI-compatible servers do not).
   */
  public Optional<BatchProvider> batch(ProviderConfig config) {
    return config.kind().batch(config, clock);
  }
}
