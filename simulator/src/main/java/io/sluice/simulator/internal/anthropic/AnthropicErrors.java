package io.sluice.simulator.internal.anthropic;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.json.Json;
import io.sluice.simulator.internal.http.ApiError;
import io.sluice.simulator.internal.http.Reply;

/** Anthropic's error format: {@code {"type":"error","error":{"type","message"}}}. */
public final class AnthropicErrors {
  private AnthropicErrors() {}

  public static Reply reply(ApiError error) {
    return Reply.json(error.status(), body(error));
  }

  /** The body of an error (also the {@code error} of an errored batch result). */
  public static ObjectNode body(ApiError error) {
    ObjectNode root = Json.mapper().createObjectNode();
    root.put("type", "error");
    ObjectNode inner = root.putObject("error");
    inner.put("type", error.code() != null ? error.code() : type(error.status()));
    inner.put("message", error.getMessage());
    return root;
  }

  /** The error type Anthropic uses for a status. */
  public static String type(int status) {
    return switch (status) {
      case 400 -> "invalid_request_error";
      case 401 -> "authentication_error";
      case 402 -> "billing_error";
      case 403 -> "permission_error";
      case 404 -> "not_found_error";
      case 413 -> "request_too_large";
      case 429 -> "rate_limit_error";
      case 504 -> "timeout_error";
      case 529 -> "overloaded_error";
      default -> status >= 500 ? "api_error" : "invalid_request_error";
    };
  }
}
