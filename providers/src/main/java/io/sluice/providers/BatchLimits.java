package io.sluice.providers;

/**
 * The most one provider batch may hold. Input over either limit is rejected with a {@link
 * BatchRejectedException} before anything is sent.
 *
 * @param maxRequests the most requests (lines) per batch
 * @param maxBytes the most bytes of the encoded batch input (the JSONL file for OpenAI, the request
 *     body for Anthropic)
 */
public record BatchLimits(int maxRequests, long maxBytes) {
  /** OpenAI: 50,000 requests and 200 MB per input file. */
  public static final BatchLimits OPENAI = new BatchLimits(50_000, 200L * 1000 * 1000);

  /** Anthropic: 100,000 requests and 256 MB per message batch. */
  public static final BatchLimits ANTHROPIC = new BatchLimits(100_000, 256L * 1000 * 1000);

  public BatchLimits {
    if (maxRequests < 1) {
      throw new IllegalArgumentException(
          "batch-limits.max-requests must be at least 1, was " + maxRequests);
    }
    if (maxBytes < 1) {
      throw new IllegalArgumentException(
          "batch-limits.max-bytes must be at least 1, was " + maxBytes);
    }
  }
}
