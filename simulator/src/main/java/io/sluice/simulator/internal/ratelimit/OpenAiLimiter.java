package io.sluice.simulator.internal.ratelimit;

import io.sluice.simulator.ModelLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One model's OpenAI limits: requests/min and tokens/min, where a call costs its prompt tokens plus
 * its {@code max_tokens} at admission (nothing is given back afterwards).
 */
public final class OpenAiLimiter {
  private final String model;
  private Bucket requests;
  private Bucket tokens;

  public OpenAiLimiter(String model, ModelLimits limits, Instant now) {
    this.model = model;
    this.requests = Bucket.full(limits.requestsPerMinute(), now);
    this.tokens = Bucket.full(limits.tokensPerMinute(), now);
  }

  /** Admits a call costing {@code tokenCost} tokens, or says why not. */
  public synchronized Decision admit(long tokenCost, Instant now) {
    refill(now);
    if (!requests.has(1)) {
      return reject("requests", "requests per min (RPM)", requests, 1, requests.waitFor(1));
    }
    if (tokenCost > tokens.capacity()) {
      return tooLarge(tokenCost);
    }
    if (!tokens.has(tokenCost)) {
      return reject("tokens", "tokens per min (TPM)", tokens, tokenCost, tokens.waitFor(tokenCost));
    }
    requests = requests.take(1);
    tokens = tokens.take(tokenCost);
    return new Decision(
        true, headers(), Duration.ZERO, null, null, new Decision.Reservation(tokenCost, 0));
  }

  /** Adds tokens a call used beyond what it reserved (a call without {@code max_tokens}). */
  public synchronized void charge(long extraTokens, Instant now) {
    refill(now);
    if (extraTokens > 0) {
      tokens = tokens.take(extraTokens);
    }
  }

  /** The headers as of {@code now}, without taking anything. */
  public synchronized Map<String, String> headers(Instant now) {
    refill(now);
    return headers();
  }

  private void refill(Instant now) {
    requests = requests.refill(now);
    tokens = tokens.refill(now);
  }

  private Decision reject(String type, String label, Bucket bucket, long requested, Duration wait) {
    long used = bucket.capacity() - bucket.available();
    String message =
        "Rate limit reached for "
            + model
            + " in organization org-sluice-simulator on "
            + label
            + ": Limit "
            + bucket.capacity()
            + ", Used "
            + used
            + ", Requested "
            + requested
            + ". Please try again in "
            + GoDuration.format(wait)
            + ". Visit https://platform.openai.com/account/rate-limits to learn more.";
    return new Decision(false, headers(), wait, message, type, null);
  }

  private Decision tooLarge(long requested) {
    String message =
        "Request too large for "
            + model
            + " in organization org-sluice-simulator on tokens per min (TPM): Limit "
            + tokens.capacity()
            + ", Requested "
            + requested
            + ". The input or output tokens must be reduced in order to run successfully.";
    return new Decision(false, headers(), tokens.untilFull(), message, "tokens", null);
  }

  private Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-ratelimit-limit-requests", Long.toString(requests.capacity()));
    headers.put("x-ratelimit-limit-tokens", Long.toString(tokens.capacity()));
    headers.put("x-ratelimit-remaining-requests", Long.toString(requests.available()));
    headers.put("x-ratelimit-remaining-tokens", Long.toString(tokens.available()));
    headers.put("x-ratelimit-reset-requests", GoDuration.format(requests.untilFull()));
    headers.put("x-ratelimit-reset-tokens", GoDuration.format(tokens.untilFull()));
    return headers;
  }
}
