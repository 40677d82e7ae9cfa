package io.sluice.simulator.internal.ratelimit;

import io.sluice.simulator.ModelLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * One model's Gemini limits: requests per minute and input (prompt) tokens per minute ({@link
 * ModelLimits#tokensPerMinute()}); output tokens are not limited per minute. Gemini sends no
 * rate-limit headers, so {@link Decision#headers()} is always empty.
 */
public final class GeminiLimiter {
  private final String model;
  private Bucket requests;
  private Bucket tokens;

  public GeminiLimiter(String model, ModelLimits limits, Instant now) {
    this.model = model;
    this.requests = Bucket.full(limits.requestsPerMinute(), now);
    this.tokens = Bucket.full(limits.tokensPerMinute(), now);
  }

  /** Admits a call with this many prompt tokens, or says which limit it would exceed. */
  public synchronized Decision admit(long promptTokens, Instant now) {
    requests = requests.refill(now);
    tokens = tokens.refill(now);
    if (!requests.has(1)) {
      return reject("requests", requests, requests.waitFor(1));
    }
    if (!tokens.has(promptTokens)) {
      Duration wait =
          promptTokens > tokens.capacity() ? tokens.untilFull() : tokens.waitFor(promptTokens);
      return reject("input_tokens", tokens, wait);
    }
    requests = requests.take(1);
    tokens = tokens.take(promptTokens);
    return new Decision(
        true, Map.of(), Duration.ZERO, null, null, new Decision.Reservation(promptTokens, 0));
  }

  private Decision reject(String type, Bucket bucket, Duration wait) {
    String metric =
        type.equals("requests")
            ? "generativelanguage.googleapis.com/generate_content_paid_tier_requests"
            : "generativelanguage.googleapis.com/generate_content_paid_tier_input_token_count";
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    String message =
        "You exceeded your current quota, please check your plan and billing details. For more"
            + " information on this error, head to: https://ai.google.dev/gemini-api/docs/rate-limits."
            + "\n* Quota exceeded for metric: "
            + metric
            + ", limit: "
            + bucket.capacity()
            + ", model: "
            + model
            + "\nPlease retry in "
            + seconds
            + "s.";
    return new Decision(false, Map.of(), wait, message, type, null);
  }
}
