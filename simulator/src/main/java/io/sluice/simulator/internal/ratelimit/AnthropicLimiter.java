package io.sluice.simulator.internal.ratelimit;

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
 * afterwards.
 */
public final class AnthropicLimiter {
  private final String model;
  private Bucket requests;
  private Bucket input;
  private Bucket output;

  public AnthropicLimiter(String model, ModelLimits limits, Instant now) {
    this.model = model;
    this.requests = Bucket.full(limits.requestsPerMinute(), now);
    this.input = Bucket.full(limits.inputTokensPerMinute(), now);
    this.output = Bucket.full(limits.outputTokensPerMinute(), now);
  }

  /** Admits a call, or says which limit it would exceed. */
  public synchronized Decision admit(long inputTokens, long maxTokens, Instant now) {
    refill(now);
    long outputEstimate = Math.min(maxTokens, output.capacity());
    if (!requests.has(1)) {
      return reject("requests", "requests per minute", requests, 1, now);
    }
    if (!input.has(inputTokens)) {
      return reject("input_tokens", "input tokens per minute", input, inputTokens, now);
    }
    if (!output.has(outputEstimate)) {
      return reject("output_tokens", "output tokens per minute", output, outputEstimate, now);
    }
    requests = requests.take(1);
    input = input.take(inputTokens);
    output = output.take(outputEstimate);
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
    output = difference >= 0 ? output.giveBack(difference) : output.take(-difference);
  }

  /** The headers as of {@code now}, without taking anything. */
  public synchronized Map<String, String> headers(Instant now) {
    refill(now);
    return currentHeaders(now);
  }

  private void refill(Instant now) {
    requests = requests.refill(now);
    input = input.refill(now);
    output = output.refill(now);
  }

  private Decision reject(String type, String label, Bucket bucket, long requested, Instant now) {
    Duration wait = requested > bucket.capacity() ? bucket.untilFull() : bucket.waitFor(requested);
    String message =
        "This request would exceed the rate limit for your organization (org-sluice-simulator) of "
            + bucket.capacity()
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
    Bucket tighter = fractionLeft(input) <= fractionLeft(output) ? input : output;
    put(headers, "tokens", tighter, now, true);
    put(headers, "input-tokens", input, now, true);
    put(headers, "output-tokens", output, now, true);
    return headers;
  }

  private static double fractionLeft(Bucket bucket) {
    return (double) bucket.available() / bucket.capacity();
  }

  private static void put(
      Map<String, String> headers, String name, Bucket bucket, Instant now, boolean round) {
    long remaining = round ? roundToThousand(bucket.available()) : bucket.available();
    headers.put("anthropic-ratelimit-" + name + "-limit", Long.toString(bucket.capacity()));
    headers.put("anthropic-ratelimit-" + name + "-remaining", Long.toString(remaining));
    headers.put("anthropic-ratelimit-" + name + "-reset", rfc3339(now.plus(bucket.untilFull())));
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
