package io.sluice.simulator.internal.batch;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What one finished batch request produced.
 *
 * @param status the HTTP status the request would have had realtime (200 on success)
 * @param body the success body or the provider's error body
 * @param requestId the request ID of the line
 * @param inputTokens prompt tokens (successes)
 * @param outputTokens completion tokens (successes)
 */
public record LineOutcome(
    int status, JsonNode body, String requestId, long inputTokens, long outputTokens) {

  public boolean succeeded() {
    return status == 200;
  }
}
