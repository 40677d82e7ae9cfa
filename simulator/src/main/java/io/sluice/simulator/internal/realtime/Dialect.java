package io.sluice.simulator.internal.realtime;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.simulator.internal.http.ApiError;
import io.sluice.simulator.internal.http.Reply;
import io.sluice.simulator.internal.http.Request;
import io.sluice.simulator.internal.ratelimit.Decision;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** What differs between the realtime APIs (OpenAI, Anthropic, Gemini). */
public interface Dialect {
  /** {@code openai}, {@code anthropic} or {@code gemini}: the meter's API label. */
  String api();

  /** Checks the credentials and required headers; throws an {@link ApiError} if they fail. */
  void authenticate(Request request);

  /**
   * Reads and validates a request body; throws a 400 {@link ApiError} if it is invalid.
   *
   * @param pathParams the path's parameters (Gemini names the model in the path)
   */
  ChatRequest parse(JsonNode body, List<String> pathParams);

  /** The error for a model the simulator does not serve. */
  ApiError modelNotFound(String model);

  /** Asks the model's rate limiter to admit the call. */
  Decision admit(ChatRequest call, Instant now);

  /** Settles the limiter after the call (Anthropic corrects its output estimate). */
  void settle(ChatRequest call, Decision decision, Completion completion, Instant now);

  /** The model's rate-limit headers now, taking nothing. */
  Map<String, String> rateLimitHeaders(String model, Instant now);

  /** The success body. */
  Object successBody(ChatRequest call, Completion completion, Instant now);

  /** An error as the provider writes it, with its status. */
  Reply error(ApiError error);

  /** The 429 of a rate-limit rejection (headers are added by the caller). */
  ApiError rateLimited(Decision decision);

  /**
   * The retry hints a rate-limit rejection carries in headers: {@code retry-after} in whole seconds
   * by default; OpenAI adds {@code retry-after-ms}; Gemini sends none (its hint is in the body).
   */
  default Map<String, String> retryHeaders(Duration wait) {
    long seconds = Math.max(1, (wait.toMillis() + 999) / 1000);
    return Map.of("retry-after", Long.toString(seconds));
  }

  /**
   * An error a {@code #sim} directive or a fault setting asked for, with the directive's retry
   * hints ({@code retry-after}, {@code retry-after-ms} as headers by default; Gemini moves them
   * into its body).
   */
  default Reply injectedError(ApiError error, Map<String, String> retryHints, Instant now) {
    return error(error).withHeaders(retryHints);
  }

  /** The status an overload is answered with (OpenAI 503, Anthropic 529). */
  int overloadedStatus();

  /** The header carrying the request ID ({@code x-request-id} / {@code request-id}). */
  String requestIdHeader();
}
