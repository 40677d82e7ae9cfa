package io.sluice.jobapi.tenant;

import java.time.Duration;
import java.time.Instant;

/**
 * The state of one tenant's request limit, and the pure decision whether a request may pass. A
 * bucket holds up to {@code burst} tokens, refilled continuously at {@code perSecond}; a request
 * takes one token or is refused with the time until one is there.
 *
 * @param tokens the tokens in the bucket at {@code at} (fractional; at most the limit's burst)
 * @param at when {@code tokens} was measured
 */
public record TokenBucket(double tokens, Instant at) {

  /** What one request gets: passed or refused, and the bucket after it. */
  public record Take(boolean granted, TokenBucket next, Duration retryAfter) {

    /** {@link #retryAfter} in whole seconds, rounded up (at least 1): the Retry-After header. */
    public long retryAfterSeconds() {
      long seconds = retryAfter.toSeconds();
      return Math.max(1, retryAfter.toNanosPart() > 0 ? seconds + 1 : seconds);
    }
  }

  /** A full bucket: a tenant's first request finds its whole burst. */
  public static TokenBucket full(RequestLimit limit, Instant now) {
    return new TokenBucket(limit.burst(), now);
  }

  /** One request at {@code now} under {@code limit} (which may have changed since the last). */
  public Take take(RequestLimit limit, Instant now) {
    TokenBucket refilled = refill(limit, now);
    if (refilled.tokens >= 1) {
      return new Take(true, new TokenBucket(refilled.tokens - 1, refilled.at), Duration.ZERO);
    }
    double missing = 1 - refilled.tokens;
    long nanos = (long) Math.ceil(missing / limit.perSecond() * 1e9);
    return new Take(false, refilled, Duration.ofNanos(nanos));
  }

  private TokenBucket refill(RequestLimit limit, Instant now) {
    if (!now.isAfter(at)) {
      return new TokenBucket(Math.min(tokens, limit.burst()), at);
    }
    double elapsedSeconds = Duration.between(at, now).toNanos() / 1e9;
    double refilled = Math.min(limit.burst(), tokens + elapsedSeconds * limit.perSecond());
    return new TokenBucket(refilled, now);
  }
}
