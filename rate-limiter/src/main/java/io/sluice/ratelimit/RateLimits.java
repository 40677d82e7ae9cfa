package io.sluice.ratelimit;

import io.sluice.schemas.model.LimitStyle;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The limits of one provider account and model: any number of buckets (per minute, per day, ...)
 * and an optional cap on calls in flight.
 *
 * <pre>{@code
 * RateLimits openAi = RateLimits.builder().requestsPerMinute(500).tokensPerMinute(200_000)
 *     .outputAccounting(OutputAccounting.RESERVED).build();
 * RateLimits anthropic = RateLimits.builder().requestsPerMinute(50)
 *     .inputTokensPerMinute(30_000).outputTokensPerMinute(8_000).build();
 * }</pre>
 *
 * @param buckets the buckets, at most one per meter and period
 * @param maxConcurrency the most calls in flight at once over all instances; 0 for no limit
 * @param outputAccounting how the provider counts output tokens once a call is done
 */
public record RateLimits(
    List<BucketLimit> buckets, int maxConcurrency, OutputAccounting outputAccounting) {

  public RateLimits {
    buckets = List.copyOf(buckets);
    Objects.requireNonNull(outputAccounting, "outputAccounting");
    if (maxConcurrency < 0) {
      throw new IllegalArgumentException("maxConcurrency must not be negative: " + maxConcurrency);
    }
    Set<String> ids = new HashSet<>();
    for (BucketLimit bucket : buckets) {
      if (!ids.add(bucket.id())) {
        throw new IllegalArgumentException("bucket " + bucket.id() + " is configured twice");
      }
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /**
   * OpenAI-style limits: requests and tokens per minute, prompt + {@code max_tokens} counted at
   * admission and kept ({@link OutputAccounting#RESERVED}).
   */
  public static RateLimits openAi(long requestsPerMinute, long tokensPerMinute) {
    return builder()
        .requestsPerMinute(requestsPerMinute)
        .tokensPerMinute(tokensPerMinute)
        .outputAccounting(OutputAccounting.RESERVED)
        .build();
  }

  /**
   * Anthropic-style limits: requests, input tokens and output tokens per minute in separate
   * buckets, output adjusted to the actual count after the call ({@link OutputAccounting#ACTUAL}).
   */
  public static RateLimits anthropic(
      long requestsPerMinute, long inputTokensPerMinute, long outputTokensPerMinute) {
    return builder()
        .requestsPerMinute(requestsPerMinute)
        .inputTokensPerMinute(inputTokensPerMinute)
        .outputTokensPerMinute(outputTokensPerMinute)
        .outputAccounting(OutputAccounting.ACTUAL)
        .build();
  }

  /**
   * Gemini-style limits: requests and input (prompt) tokens per minute; output is not limited per
   * minute, so it is accounted as used ({@link OutputAccounting#ACTUAL}).
   */
  public static RateLimits gemini(long requestsPerMinute, long inputTokensPerMinute) {
    return builder()
        .requestsPerMinute(requestsPerMinute)
        .inputTokensPerMinute(inputTokensPerMinute)
        .outputAccounting(OutputAccounting.ACTUAL)
        .build();
  }

  /**
   * The limits of a provider's {@link LimitStyle}: the one mapping from a provider's registration
   * to its buckets. {@code tokensPerMinute} is read by the OpenAI style, the input and output
   * figures by the others.
   */
  public static RateLimits forStyle(
      LimitStyle style,
      long requestsPerMinute,
      long tokensPerMinute,
      long inputTokensPerMinute,
      long outputTokensPerMinute) {
    return switch (style) {
      case REQUESTS_AND_TOKENS -> openAi(requestsPerMinute, tokensPerMinute);
      case REQUESTS_INPUT_AND_OUTPUT_TOKENS ->
          anthropic(requestsPerMinute, inputTokensPerMinute, outputTokensPerMinute);
      case REQUESTS_AND_INPUT_TOKENS -> gemini(requestsPerMinute, inputTokensPerMinute);
    };
  }

  /** Whether a concurrency cap applies. */
  public boolean limitsConcurrency() {
    return maxConcurrency > 0;
  }

  /**
   * These limits multiplied by {@code share} (capacities rounded down), the safe local share an
   * instance uses while the shared store is unreachable; empty when some bucket would hold nothing.
   */
  public Optional<RateLimits> scaled(double share) {
    List<BucketLimit> scaled = new ArrayList<>();
    for (BucketLimit bucket : buckets) {
      long capacity = bucket.scaledCapacity(share);
      if (capacity < 1) {
        return Optional.empty();
      }
      scaled.add(new BucketLimit(bucket.meter(), capacity, bucket.period()));
    }
    int concurrency = limitsConcurrency() ? (int) Math.floor(maxConcurrency * share) : 0;
    if (limitsConcurrency() && concurrency < 1) {
      return Optional.empty();
    }
    return Optional.of(new RateLimits(scaled, concurrency, outputAccounting));
  }

  /** The bucket of {@code meter} with the shortest period, the one provider headers describe. */
  public Optional<BucketLimit> shortestBucket(Meter meter) {
    BucketLimit best = null;
    for (BucketLimit bucket : buckets) {
      if (bucket.meter() == meter
          && (best == null || bucket.period().compareTo(best.period()) < 0)) {
        best = bucket;
      }
    }
    return Optional.ofNullable(best);
  }

  /** Collects buckets; {@link OutputAccounting#ACTUAL} unless set. */
  public static final class Builder {
    private static final Duration MINUTE = Duration.ofMinutes(1);
    private static final Duration DAY = Duration.ofDays(1);
    private final List<BucketLimit> buckets = new ArrayList<>();
    private int maxConcurrency;
    private OutputAccounting outputAccounting = OutputAccounting.ACTUAL;

    public Builder requestsPerMinute(long limit) {
      return bucket(Meter.REQUESTS, limit, MINUTE);
    }

    public Builder tokensPerMinute(long limit) {
      return bucket(Meter.TOKENS, limit, MINUTE);
    }

    public Builder inputTokensPerMinute(long limit) {
      return bucket(Meter.INPUT_TOKENS, limit, MINUTE);
    }

    public Builder outputTokensPerMinute(long limit) {
      return bucket(Meter.OUTPUT_TOKENS, limit, MINUTE);
    }

    public Builder requestsPerDay(long limit) {
      return bucket(Meter.REQUESTS, limit, DAY);
    }

    public Builder tokensPerDay(long limit) {
      return bucket(Meter.TOKENS, limit, DAY);
    }

    /** Any bucket: {@code capacity} units of {@code meter} per {@code period}. */
    public Builder bucket(Meter meter, long capacity, Duration period) {
      buckets.add(new BucketLimit(meter, capacity, period));
      return this;
    }

    /** The most calls in flight at once over all instances (0: no limit). */
    public Builder maxConcurrency(int maxConcurrency) {
      this.maxConcurrency = maxConcurrency;
      return this;
    }

    public Builder outputAccounting(OutputAccounting outputAccounting) {
      this.outputAccounting = outputAccounting;
      return this;
    }

    public RateLimits build() {
      return new RateLimits(buckets, maxConcurrency, outputAccounting);
    }
  }
}
