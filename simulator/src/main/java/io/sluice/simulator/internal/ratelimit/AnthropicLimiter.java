package io.sluice.simulator.internal.ratelimit;

import io.sluice.simulator.Enforcement;
import io.sluice.simulator.ModelLimits;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One model's Anthropic limits: continuously refilling buckets for requests, input tokens and
 * output tokens per minute. Input tokens are the prompt's; output tokens are estimated from {@code
 * max_tokens} at admission (at most the bucket's capacity) and corrected to the actual count
 * afterwards. The {@link Enforcement} decides the window, the kind of counter, whether refusals are
 * charged and the other client's use; the headers show the per-minute limit and what is left of the
 * enforced window.
 */
public final class AnthropicLimiter {
  private final String model;
  private final boolean refusedCallsCharged;
  private final Limit requests;
  private final Limit input;
  private final Limit output;

  /** Limits enforced exactly: refilling minute buckets. */
  public AnthropicLimiter(String model, ModelLimits limits, Instant now) {
    this(model, limits, Enforcement.EXACT, now);
  }

  public AnthropicLimiter(String model, ModelLimits limits, Enforcement enforcement, Instant now) {
    this.model = model;
    this.refusedCallsCharged = enforcement.refusedCallsCharged();
    this.requests = new Limit("requests", limits.requestsPerMinute(), enforcement, now);
    this.input = new Limit("input_tokens", limits.inputTokensPerMinute(), enforcement, now);
    this.output = new Limit("output_tokens", limits.outputTokensPerMinute(), enforcement, now);
  }

  /** Admits a call, or says which limit it would exceed. */
  public synchronized Decision admit(long inputTokens, long maxTokens, Instant now) {
    refill(now);
    long outputEstimate = Math.min(maxTokens, output.capacity());
    if (!requests.admits(1)) {
      return reject("requests", "requests per minute", requests, 1, inputTokens, now);
    }
    if (!input.admits(inputTokens)) {
      return reject(
          "input_tokens", "input tokens per minute", input, inputTokens, inputTokens, now);
    }
    if (!output.admits(outputEstimate)) {
      return reject(
          "output_tokens", "output tokens per minute", output, outputEstimate, inputTokens, now);
    }
    requests.take(1);
    input.take(inputTokens);
    output.take(outputEstimate);
    return new Decision(
        true,
        currentHeaders(now),
        Duration.ZERO,
        null,
        null,
        new Decision.Reservation(inputTokens, outputEstimate));
  }

  /** Corrects the output estimate to the tokens the call really produced. */
  public synchronized void reconcile(
      Decision.Reservation reservation, long actualOutput, Instant now) {
    refill(now);
    long difference = reservation.outputTokens() - actualOutput;
    if (difference >= 0) {
      output.giveBack(difference);
    } else {
      output.take(-difference);
    }
  }

  /** The headers as of {@code now}, without taking anything. */
  public synchronized Map<String, String> headers(Instant now) {
    refill(now);
    return currentHeaders(now);
  }

  private void refill(Instant now) {
    requests.advance(now);
    input.advance(now);
    output.advance(now);
  }

  private Decision reject(
      String type, String label, Limit limit, long requested, long inputTokens, Instant now) {
    if (refusedCallsCharged) {
      requests.charge(1);
      input.charge(inputTokens);
    }
    Duration wait = limit.waitFor(requested);
    String message =
        "This request would exceed the rate limit for your organization (org-sluice-simulator) of "
            + limit.perMinute()
            + " "
            + label
            + " for "
            + model
            + ". For details, refer to: https://docs.claude.com/en/api/rate-limits. You can see"
            + " the response headers for current usage. Please reduce the prompt length or the"
            + " maximum tokens requested, or try again later.";
    return new Decision(false, currentHeaders(now), wait, message, type, null);
  }

  private Map<String, String> currentHeaders(Instant now) {
    Map<String, String> headers = new LinkedHashMap<>();
    put(headers, "requests", requests, now, false);
    Limit tighter = input.fractionLeft() <= output.fractionLeft() ? input : output;
    put(headers, "tokens", tighter, now, true);
    put(headers, "input-tokens", input, now, true);
    put(headers, "output-tokens", output, now, true);
    return headers;
  }

  private static void put(
      Map<String, String> headers, String name, Limit limit, Instant now, boolean round) {
    long remaining = round ? roundToThousand(limit.available()) : limit.available();
    headers.put("anthropic-ratelimit-" + name + "-limit", Long.toString(limit.perMinute()));
    headers.put("anthropic-ratelimit-" + name + "-remaining", Long.toString(remaining));
    headers.put("anthropic-ratelimit-" + name + "-reset", rfc3339(now.plus(limit.untilFull())));
  }

  static long roundToThousand(long value) {
    return Math.round(value / 1000.0) * 1000;
  }

  /** An RFC 3339 timestamp in UTC, rounded up to the second. */
  static String rfc3339(Instant instant) {
    Instant up =
        instant.getNano() == 0 ? instant : instant.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
    return up.toString();
  }
}
