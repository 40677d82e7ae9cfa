package io.sluice.ratelimit;

/**
 * How a provider counts output tokens against its limits once the call is done, which decides what
 * reconciliation gives back.
 */
public enum OutputAccounting {
  /**
   * The provider counts the reserved output ({@code max_tokens}) at admission and keeps it, as
   * OpenAI does: reconciliation corrects only the input estimate.
   */
  RESERVED,
  /**
   * The provider counts {@code max_tokens} at admission and adjusts to the actual output at the end
   * of the call, as Anthropic does: reconciliation gives back unused output tokens too.
   */
  ACTUAL
}
