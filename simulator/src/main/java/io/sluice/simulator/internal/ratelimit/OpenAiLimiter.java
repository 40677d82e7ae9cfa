package io.sluice.simulator.internal.ratelimit;

import io.sluice.simulator.Enforcement;
import io.sluice.simulator.ModelLimits;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One model's OpenAI limits: requests/min and tokens/min, where a call costs its prompt tokens plus
 * its {@code max_tokens} at admission (nothing is given back afterwards). The {@link Enforcement}
 * decides the window, the kind of counter, whether refusals are charged and the other client's use;
 * the headers show the per-minute limit and what is left of the enforced window.
 */
public final class OpenAiLimiter {
  private final String model;
  private final boolean refusedCallsCharged;
  private final Limit requests;
  private final Limit tokens;

  /** Limits enforced exactly: refilling minute buckets. */
  public OpenAiLimiter(String model, ModelLimits limits, Instant now) {
    this(model, limits, Enforcement.EXACT, now);
  }

  public OpenAiLimiter(String model, ModelLimits limits, Enforcement enforcement, Instant now) {
    this.model = model;
    this.refusedCallsCharged = enforcement.refusedCallsCharged();
    this.requests = new Limit("requests", limits.requestsPerMinute(), enforcement, now);
    this.tokens = new Limit("tokens", limits.tokensPerMinute(), enforcement, now);
  }

  /** Admits a call costing {@code tokenCost} tokens, or says why not. */
  public synchronized Decision admit(long tokenCost, Instant now) {
    refill(now);
    if (!requests.admits(1)) {
      return reject("requests", "requests per min (RPM)", requests, 1, tokenCost);
    }
    if (tokenCost > tokens.perMinute()) {
      return tooLarge(tokenCost);
    }
    if (!tokens.admits(tokenCost)) {
      return reject("tokens", "tokens per min (TPM)", tokens, tokenCost, tokenCost);
    }
    requests.take(1);
    tokens.take(tokenCost);
    return new Decision(
        true, headers(), Duration.ZERO, null, null, new Decision.Reservation(tokenCost, 0));
  }

  /** Adds tokens a call used beyond what it reserved (a call without {@code max_tokens}). */
  public synchronized void charge(long extraTokens, Instant now) {
    refill(now);
    if (extraTokens > 0) {
      tokens.take(extraTokens);
    }
  }

  /** The headers as of {@code now}, without taking anything. */
  public synchronized Map<String, String> headers(Instant now) {
    refill(now);
    return headers();
  }

  private void refill(Instant now) {
    requests.advance(now);
    tokens.advance(now);
  }

  private Decision reject(String type, String label, Limit limit, long requested, long tokenCost) {
    long used = limit.capacity() - limit.available();
    if (refusedCallsCharged) {
      requests.charge(1);
      tokens.charge(tokenCost);
    }
    Duration wait = limit.waitFor(requested);
    String message =
        "Rate limit reached for "
            + model
            + " in organization org-sluice-simulator on "
            + label
            + ": Limit "
            + limit.perMinute()
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
            + tokens.perMinute()
            + ", Requested "
            + requested
            + ". The input or output tokens must be reduced in order to run successfully.";
    return new Decision(false, headers(), tokens.untilFull(), message, "tokens", null);
  }

  private Map<String, String> headers() {
    Map<String, String> headers = new LinkedHashMap<>();
    headers.put("x-ratelimit-limit-requests", Long.toString(requests.perMinute()));
    headers.put("x-ratelimit-limit-tokens", Long.toString(tokens.perMinute()));
    headers.put("x-ratelimit-remaining-requests", Long.toString(requests.available()));
    headers.put("x-ratelimit-remaining-tokens", Long.toString(tokens.available()));
    headers.put("x-ratelimit-reset-requests", GoDuration.format(requests.untilFull()));
    headers.put("x-ratelimit-reset-tokens", GoDuration.format(tokens.untilFull()));
    return headers;
  }
}
