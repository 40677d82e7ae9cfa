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

  /**
   * OpenAI's {@link #failureCode()} for a batch refused because the model's batch queue (its
   * enqueued prompt tokens) was full.
   */
  public static final String TOKEN_LIMIT_EXCEEDED = "token_limit_exceeded";

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

  /**
   * Whether the provider failed the whole batch because its queue was full (OpenAI {@code
   * token_limit_exceeded}: the model's enqueued prompt tokens would pass the account's batch queue
   * limit). No line ran and nothing is billed; the same lines are accepted once earlier batches
   * have ended, so this is not a failure of the lines. (Anthropic refuses such a batch at submit
   * instead: a retriable {@link ProviderException} with status 429, see {@link
   * BatchProvider#submit}.)
   */
  public boolean refusedForQueueLimit() {
    return state == BatchState.FAILED && TOKEN_LIMIT_EXCEEDED.equals(failureCode);
  }

  /** Whether the batch has ended, so that its results can be fetched. */
  public boolean isTerminal() {
    return state.isTerminal();
  }
}
