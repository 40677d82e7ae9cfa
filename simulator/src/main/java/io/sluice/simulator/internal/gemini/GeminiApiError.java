package io.sluice.simulator.internal.gemini;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.sluice.simulator.internal.http.ApiError;

/** An error in Google's RPC shape, with its {@code status} name and {@code details}. */
final class GeminiApiError extends ApiError {
  private final transient ArrayNode details;

  GeminiApiError(int status, String rpcStatus, String message, ArrayNode details) {
    super(status, rpcStatus, message, null);
    this.details = details;
  }

  ArrayNode details() {
    return details;
  }
}
