package io.sluice.ratelimit;

import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a provider said about an account's limits in one response ({@code x-ratelimit-*}, {@code
 * anthropic-ratelimit-*} headers), per meter. The rate limiter uses it to see traffic from other
 * clients on the same account. Providers adapters build it from their own header snapshot; a {@code
 * null} field means the provider did not say.
 *
 * <p>A provider counts a call, and writes these headers, when the call arrives, which can be
 * seconds before the response reaches the limiter (the call's whole latency). {@code observedAt}
 * says how old the figures may be: the limiter credits the refill since then before comparing
 * {@code remaining} with its own view, and reads {@code reset} from then. Without it the report is
 * taken as of the moment it is applied.
 *
 * <p>A report that answers a call the provider admitted may also say what that call asked for
 * ({@code admittedCall}): the provider charged its {@code max_tokens} against the output meter at
 * admission, which tells how much of an exhausted output meter's remainder rounding can hide where
 * the figures were written then (see {@code ProviderDrift.learnWindow} for figures written after
 * the output was settled).
 *
 * @param observations what was reported, per meter
 * @param observedAt the earliest instant the provider can have counted these figures (the call's
 *     admission), or {@code null} for "now"
 * @param admittedCall what the call the provider admitted with these figures asked for, as sent
 *     (its {@code max_tokens} as output), or {@code null} when the report answers no admitted call
 */
public record ProviderRateLimitReport(
    Map<Meter, Observation> observations, Instant observedAt, Demand admittedCall) {

  /** A response without rate-limit headers. */
  public static final ProviderRateLimitReport NONE = new ProviderRateLimitReport(Map.of());

  public ProviderRateLimitReport {
    observations = Map.copyOf(observations);
  }

  /** A report taken as of the moment it is applied. */
  public ProviderRateLimitReport(Map<Meter, Observation> observations) {
    this(observations, null, null);
  }

  /** A report counted by the provider no earlier than {@code observedAt}. */
  public ProviderRateLimitReport(Map<Meter, Observation> observations, Instant observedAt) {
    this(observations, observedAt, null);
  }

  /** The same figures, counted by the provider no earlier than {@code instant}. */
  public ProviderRateLimitReport withObservedAt(Instant instant) {
    return new ProviderRateLimitReport(observations, instant, admittedCall);
  }

  /**
   * The same figures, written by the provider as it admitted a call that asked for {@code call}.
   */
  public ProviderRateLimitReport withAdmittedCall(Demand call) {
    return new ProviderRateLimitReport(observations, observedAt, call);
  }

  /**
   * One meter's reported state.
   *
   * @param limit the limit per window, or {@code null}
   * @param remaining what is left now, or {@code null}
   * @param reset when the bucket is full again (absolute), or {@code null}
   */
  public record Observation(Long limit, Long remaining, Instant reset) {}

  public static Builder builder() {
    return new Builder();
  }

  /** Collects observations; each argument may be {@code null}. */
  public static final class Builder {
    private final Map<Meter, Observation> observations = new EnumMap<>(Meter.class);

    public Builder requests(Long limit, Long remaining, Instant reset) {
      return meter(Meter.REQUESTS, limit, remaining, reset);
    }

    public Builder tokens(Long limit, Long remaining, Instant reset) {
      return meter(Meter.TOKENS, limit, remaining, reset);
    }

    public Builder inputTokens(Long limit, Long remaining, Instant reset) {
      return meter(Meter.INPUT_TOKENS, limit, remaining, reset);
    }

    public Builder outputTokens(Long limit, Long remaining, Instant reset) {
      return meter(Meter.OUTPUT_TOKENS, limit, remaining, reset);
    }

    /** Records a meter unless every value is {@code null}. */
    public Builder meter(Meter meter, Long limit, Long remaining, Instant reset) {
      Objects.requireNonNull(meter, "meter");
      if (limit != null || remaining != null || reset != null) {
        observations.put(meter, new Observation(limit, remaining, reset));
      }
      return this;
    }

    public ProviderRateLimitReport build() {
      return new ProviderRateLimitReport(observations);
    }
  }
}
