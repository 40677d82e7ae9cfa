package io.sluice.providers;

import java.time.Instant;
import java.util.Map;

/**
 * A provider batch as the provider last reported it.
 *
 * @param batchId the provider's batch ID
 * @param state where the batch is, in Sluice's vocabulary
 * @param providerStatus the provider's own status string, e.g. {@code finalizing} or {@code ended}
 * @param counts line counts ({@link BatchCounts#total()}: the batch's request count)
 * @param createdAt when the provider created the batch, if it said
 * @param expiresAt when the completion window ends, if it said
 * @param failureCode the provider's code for why the whole batch failed (state {@link
 *     BatchState#FAILED}), e.g. {@code token_limit_exceeded}, else {@code null}
 * @param failureMessage the provider's message for why the whole batch failed, else {@code null}
 * @param metadata the key-value pairs stored with the batch at submit (OpenAI; empty for providers
 *     without batch metadata, such as Anthropic)
 */
public record BatchStatus(
    String batchId,
    BatchState state,
    String providerStatus,
    BatchCounts counts,
    Instant createdAt,
    Instant expiresAt,
    String failureCode,
    String failureMessage,
    Map<String, String> metadata) {

  public BatchStatus {
    metadata = metadata == null ? Map.of() : Map.copyOf(metadata);
  }

  /** A status without metadata. */
  public BatchStatus(
      String batchId,
      BatchState state,
      String providerStatus,
      BatchCounts counts,
      Instant createdAt,
      Instant expiresAt,
      String failureCode,
      String failureMessage) {
    this(
        batchId,
        state,
        providerStatus,
        counts,
        createdAt,
        expiresAt,
        failureCode,
        failureMessage,
        Map.of());
  }

  /** Whether the batch has ended, so that its results can be fetched. */
  public boolean isTerminal() {
    return state.isTerminal();
  }
}
