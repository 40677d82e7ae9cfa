package io.sluice.providers.internal;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.providers.BatchItemResult;
import io.sluice.providers.BatchItemStatus;
import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.TokenUsage;
import java.util.function.Function;

/** The result of one successful batch line, whatever the provider's response format. */
public final class BatchLineResults {
  private BatchLineResults() {}

  /**
   * Parses a line's response body: its output and usage, a refusal as a permanent error, an
   * unreadable body as a retriable {@code malformed_response}.
   *
   * @param parser the provider's response parser; throws {@link MalformedBodyException}
   */
  public static BatchItemResult completed(
      String customId, JsonNode body, Function<JsonNode, ParsedCompletion> parser) {
    try {
      ParsedCompletion parsed = parser.apply(body);
      if (parsed.isRefusal()) {
        return BatchItemResult.failed(
            customId,
            BatchItemStatus.ERRORED,
            ErrorInfo.permanent("refusal", parsed.refusal()),
            parsed.usage());
      }
      return BatchItemResult.succeeded(customId, parsed.output(), parsed.usage(), parsed.model());
    } catch (MalformedBodyException e) {
      return BatchItemResult.failed(
          customId,
          BatchItemStatus.ERRORED,
          ErrorInfo.retriable("malformed_response", e.getMessage()),
          TokenUsage.NONE);
    }
  }
}
