package io.sluice.providers.gemini;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.providers.ProviderException;
import io.sluice.providers.ProviderException.Kind;
import io.sluice.providers.RateLimitSnapshot;
import io.sluice.providers.internal.FailureClassifier;
import io.sluice.providers.internal.HttpReply;
import io.sluice.providers.internal.HttpTransport;
import io.sluice.providers.internal.RetryHints;
import io.sluice.schemas.json.Json;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Google's RPC error shape, {@code {"error": {"code", "message", "status", "details"}}}, classified
 * the way Sluice classifies every provider: by HTTP status (400 {@code INVALID_ARGUMENT}, 403
 * {@code PERMISSION_DENIED}, 404 {@code NOT_FOUND} permanent; 429 {@code RESOURCE_EXHAUSTED}, 500
 * {@code INTERNAL}, 503 {@code UNAVAILABLE} retriable), except that a 429 whose {@code
 * google.rpc.QuotaFailure} names a per-day quota is permanent: waiting a minute does not help. A
 * {@code google.rpc.RetryInfo.retryDelay} (e.g. {@code "30s"}) is the retry hint; without one the
 * usual headers are read.
 */
final class GeminiErrors {
  private static final int MAX_MESSAGE = 500;
  private static final Pattern PROTO_DURATION = Pattern.compile("(\\d+(?:\\.\\d+)?)s");

  private GeminiErrors() {}

  /** The classified exception for an error response. */
  static ProviderException failure(HttpTransport transport, HttpReply reply) {
    JsonNode error = errorNode(reply.bodyText());
    String code = text(error, "status").orElse("http_" + reply.status());
    String message = text(error, "message").map(GeminiErrors::clip).orElse(fallback(reply));
    boolean perDay = reply.status() == 429 && isPerDayQuota(error.path("details"));
    Kind kind =
        perDay
            ? Kind.PERMANENT
            : FailureClassifier.classify(
                reply.status(), code, RetryHints.shouldRetry(reply.headers()));
    Duration retryAfter =
        retryDelay(error.path("details"))
            .or(() -> RetryHints.retryAfter(reply.headers(), reply.receivedAt()))
            .orElse(null);
    return new ProviderException(
        transport.provider(),
        kind,
        reply.status(),
        code,
        transport.redact(message),
        kind == Kind.PERMANENT ? null : retryAfter,
        RateLimitSnapshot.NONE,
        null);
  }

  /** Whether a {@code QuotaFailure} violation names a per-day quota. */
  static boolean isPerDayQuota(JsonNode details) {
    for (JsonNode detail : details) {
      if (detail.path("@type").asText().endsWith("google.rpc.QuotaFailure")) {
        for (JsonNode violation : detail.path("violations")) {
          String quota =
              (violation.path("quotaId").asText("")
                      + " "
                      + violation.path("quotaMetric").asText(""))
                  .toLowerCase(Locale.ROOT);
          if (quota.contains("perday") || quota.contains("per_day")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  /**
   * The {@code RetryInfo.retryDelay} of the details, if any (at most {@link
   * RetryHints#MAX_RETRY_AFTER}).
   */
  static Optional<Duration> retryDelay(JsonNode details) {
    for (JsonNode detail : details) {
      if (detail.path("@type").asText().endsWith("google.rpc.RetryInfo")) {
        return protoDuration(detail.path("retryDelay").asText(""))
            .filter(d -> d.compareTo(RetryHints.MAX_RETRY_AFTER) <= 0);
      }
    }
    return Optional.empty();
  }

  /** A protobuf JSON duration such as {@code 30s} or {@code 1.500s}. */
  static Optional<Duration> protoDuration(String text) {
    var matcher = PROTO_DURATION.matcher(text.strip());
    if (!matcher.matches()) {
      return Optional.empty();
    }
    BigDecimal seconds = new BigDecimal(matcher.group(1));
    return Optional.of(Duration.ofNanos(seconds.movePointRight(9).longValue()));
  }

  private static JsonNode errorNode(String body) {
    try {
      JsonNode root = body == null || body.isBlank() ? null : Json.mapper().readTree(body);
      return root == null ? Json.mapper().missingNode() : root.path("error");
    } catch (IOException e) {
      return Json.mapper().missingNode();
    }
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || !value.isTextual() || value.asText().isBlank()
        ? Optional.empty()
        : Optional.of(value.asText());
  }

  private static String fallback(HttpReply reply) {
    String body = reply.bodyText();
    return body.isBlank() ? "HTTP " + reply.status() + " with an empty body" : clip(body);
  }

  private static String clip(String text) {
    String stripped = text.strip();
    return stripped.length() <= MAX_MESSAGE ? stripped : stripped.substring(0, MAX_MESSAGE) + "…";
  }
}
