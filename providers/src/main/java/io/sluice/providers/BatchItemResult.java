package io.sluice.providers;

import io.sluice.schemas.job.ErrorInfo;
import io.sluice.schemas.job.TokenUsage;

/**
 * The outcome of one batch line, mapped back to its {@code custom_id}.
 *
 * @param customId the line's ID as submitted
 * @param status how it ended
 * @param output the generated text ({@link BatchItemStatus#SUCCEEDED} only, else {@code null})
 * @param usage tokens the provider counted ({@link TokenUsage#NONE} for lines that did not run)
 * @param model the model that answered, as the provider reports it, or {@code null}
 * @param error why it did not succeed, with the provider's code and message and whether a retry can
 *     help; {@code null} when it succeeded
 */
public record BatchItemResult(
    String customId,
    BatchItemStatus status,
    String output,
    TokenUsage usage,
    String model,
    ErrorInfo error) {

  /** A line that produced a response. */
  public static BatchItemResult succeeded(
      String customId, String output, TokenUsage usage, String model) {
    return new BatchItemResult(customId, BatchItemStatus.SUCCEEDED, output, usage, model, null);
  }

  /** A line that did not produce a response. */
  public static BatchItemResult failed(
      String customId, BatchItemStatus status, ErrorInfo error, TokenUsage usage) {
    return new BatchItemResult(
        customId, status, null, usage == null ? TokenUsage.NONE : usage, null, error);
  }

  /** Whether the line produced a response. */
  public boolean isSucceeded() {
    return status == BatchItemStatus.SUCCEEDED;
  }
}
