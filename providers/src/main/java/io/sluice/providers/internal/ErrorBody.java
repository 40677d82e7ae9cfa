package io.sluice.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.schemas.json.Json;
import java.io.IOException;
import java.util.Optional;

/**
 * A provider's error body: OpenAI's {@code {"error": {"message", "type", "code"}}} or Anthropic's
 * {@code {"type": "error", "error": {"type", "message"}}}. For bodies that are not JSON the code is
 * {@code http_<status>} and the message is the start of the body.
 *
 * @param code the provider's error code, else its error type, else {@code http_<status>}
 * @param message the provider's message
 */
public record ErrorBody(String code, String message) {
  private static final int MAX_MESSAGE = 500;

  /** Parses an error body of either provider. */
  public static ErrorBody parse(int httpStatus, String body) {
    String fallbackCode = "http_" + httpStatus;
    if (body == null || body.isBlank()) {
      return new ErrorBody(fallbackCode, "HTTP " + httpStatus + " with an empty body");
    }
    try {
      JsonNode error = Json.mapper().readTree(body).path("error");
      return fromNode(error, fallbackCode).orElse(new ErrorBody(fallbackCode, clip(body)));
    } catch (IOException e) {
      return new ErrorBody(fallbackCode, clip(body));
    }
  }

  /** Parses an {@code error} object (as found in batch result lines), or empty if there is none. */
  public static Optional<ErrorBody> fromNode(JsonNode error, String fallbackCode) {
    if (error == null || !error.isObject()) {
      return Optional.empty();
    }
    if (error.path("error").isObject()) {
      return fromNode(error.path("error"), fallbackCode);
    }
    String code = text(error.get("code"));
    if (code == null) {
      code = text(error.get("type"));
    }
    String message = text(error.get("message"));
    return Optional.of(
        new ErrorBody(
            code == null ? fallbackCode : code, message == null ? "(no message)" : clip(message)));
  }

  private static String text(JsonNode node) {
    return node == null || node.isNull() || node.asText().isBlank() ? null : node.asText();
  }

  private static String clip(String text) {
    String stripped = text.strip();
    return stripped.length() <= MAX_MESSAGE ? stripped : stripped.substring(0, MAX_MESSAGE) + "…";
  }
}
