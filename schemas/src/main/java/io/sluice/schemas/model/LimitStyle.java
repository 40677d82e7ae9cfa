package io.sluice.schemas.model;

/**
 * Which rate-limit buckets a provider enforces per model, and how it charges a call against them.
 * Sluice's rate limiter and the simulator take the buckets from here; the numbers come from
 * configuration or a simulator profile.
 */
public enum LimitStyle {
  /**
   * OpenAI: requests and tokens per minute; a call is charged its prompt plus {@code max_tokens} at
   * admission, and the charge is kept.
   */
  REQUESTS_AND_TOKENS,
  /**
   * Anthropic: requests, input tokens and output tokens per minute; output is reserved from {@code
   * max_tokens} and corrected to the actual count after the call.
   */
  REQUESTS_INPUT_AND_OUTPUT_TOKENS,
  /**
   * Gemini: requests and input (prompt) tokens per minute; output tokens are not limited per
   * minute.
   */
  REQUESTS_AND_INPUT_TOKENS
}
