package io.sluice.simulator.internal.gemini;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.json.Json;
import io.sluice.simulator.internal.http.ApiError;
import io.sluice.simulator.internal.http.Reply;
import java.math.BigDecimal;
import java.time.Duration;

/**
 * Google's RPC error format: {@code {"error": {"code", "message", "status", "details"}}}, with
 * {@code google.rpc.RetryInfo} and {@code google.rpc.QuotaFailure} details for 429s.
 */
public final class GeminiErrors {
  private static final String TYPE_PREFIX = "type.googleapis.com/google.rpc.";

  private GeminiErrors() {}

  /** The reply for an error. */
  public static Reply reply(ApiError error) {
    return Reply.json(error.status(), body(error));
  }

  /** The body of an error; {@code error.code()}, when given, is the RPC status name. */
  public static ObjectNode body(ApiError error) {
    ObjectNode root = Json.mapper().createObjectNode();
    ObjectNode inner = root.putObject("error");
    inner.put("code", error.status());
    inner.put("message", error.getMessage());
    inner.put("status", error.code() != null ? error.code() : status(error.status()));
    if (error instanceof GeminiApiError gemini && gemini.details() != null) {
      inner.set("details", gemini.details());
    }
    return root;
  }

  /** The RPC status name Google uses for an HTTP status. */
  public static String status(int httpStatus) {
    return switch (httpStatus) {
      case 400, 413, 422 -> "INVALID_ARGUMENT";
      case 401 -> "UNAUTHENTICATED";
      case 403 -> "PERMISSION_DENIED";
      case 404 -> "NOT_FOUND";
      case 409 -> "ABORTED";
      case 429 -> "RESOURCE_EXHAUSTED";
      case 499 -> "CANCELLED";
      case 500 -> "INTERNAL";
      case 501 -> "UNIMPLEMENTED";
      case 502, 503 -> "UNAVAILABLE";
      case 408, 504 -> "DEADLINE_EXCEEDED";
      default -> httpStatus >= 500 ? "UNKNOWN" : "FAILED_PRECONDITION";
    };
  }

  /** Details with one {@code RetryInfo}, e.g. {@code retryDelay: "20s"}. */
  static ArrayNode retryInfo(ArrayNode details, Duration delay) {
    details
        .addObject()
        .put("@type", TYPE_PREFIX + "RetryInfo")
        .put("retryDelay", protoDuration(delay));
    return details;
  }

  /** Details with one {@code QuotaFailure} violation of this quota. */
  static ArrayNode quotaFailure(ArrayNode details, String quotaId, String metric) {
    ObjectNode violation =
        details
            .addObject()
            .put("@type", TYPE_PREFIX + "QuotaFailure")
            .putArray("violations")
            .addObject();
    violation.put("quotaMetric", metric).put("quotaId", quotaId);
    violation.putObject("quotaDimensions").put("location", "global");
    return details;
  }

  /** A protobuf JSON duration: whole seconds as {@code 20s}, otherwise {@code 1.5s}. */
  static String protoDuration(Duration delay) {
    BigDecimal seconds = BigDecimal.valueOf(delay.toMillis(), 3).stripTrailingZeros();
    return (seconds.signum() == 0 ? "0" : seconds.toPlainString()) + "s";
  }

  static ArrayNode details() {
    return Json.mapper().createArrayNode();
  }
}
