package io.sluice.simulator.internal.openai;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.sluice.schemas.json.Json;
import io.sluice.simulator.internal.http.ApiError;
import io.sluice.simulator.internal.http.Reply;

/** OpenAI's error format: {@code {"error":{"message","type","param","code"}}}. */
public final class OpenAiErrors {
  private OpenAiErrors() {}

  /** The reply for an error. */
  public static Reply reply(ApiError error) {
    return Reply.json(error.status(), body(error));
  }

  /** The body of an error. */
  public static ObjectNode body(ApiError error) {
    ObjectNode root = Json.mapper().createObjectNode();
    ObjectNode inner = root.putObject("error");
    String code = error.code() != null ? error.code() : defaultCode(error.status());
    inner.put("message", error.getMessage());
    inner.put("type", error.type() != null ? error.type() : type(error.status(), code));
    inner.put("param", error.param());
    inner.put("code", code);
    return root;
  }

  private static String defaultCode(int status) {
    return switch (status) {
      case 401 -> "invalid_api_key";
      case 404 -> "not_found";
      case 429 -> "rate_limit_exceeded";
      default -> null;
    };
  }

  private static String type(int status, String code) {
    if ("insufficient_quota".equals(code)) {
      return "insufficient_quota";
    }
    if (status == 429) {
      return "requests";
    }
    if (status == 401) {
      return "invalid_request_error";
    }
    if (status == 403) {
      return "permission_error";
    }
    return status >= 500 ? "server_error" : "invalid_request_error";
  }
}
