package io.sluice.simulator;

import java.time.Duration;

/**
 * How long a realtime call takes: {@code base} plus {@code perOutputToken} times the output tokens.
 * Latency is real wall time (clients must see it), unlike rate limits and batches, which follow the
 * injected clock.
 */
public record LatencySettings(Duration base, Duration perOutputToken) {

  /** The default: 1 ms plus 20 µs per output token. */
  public static final LatencySettings DEFAULT =
      new LatencySettings(Duration.ofMillis(1), Duration.ofNanos(20_000));

  /** No added latency. */
  public static final LatencySettings NONE = new LatencySettings(Duration.ZERO, Duration.ZERO);

  public LatencySettings {
    if (base.isNegative() || perOutputToken.isNegative()) {
      throw new IllegalArgumentException("latency must not be negative");
    }
  }

  /** The delay of a call that produced this many output tokens. */
  public Duration forOutputTokens(long outputTokens) {
    return base.plus(perOutputToken.multipliedBy(outputTokens));
  }
}
