package io.sluice.mapreduce;

/**
 * What one model call leaves for the text it carries (a chunk, or a group of partial answers):
 * {@code context − instruction − max_tokens − margin}. The margin absorbs what the estimate of the
 * prompt cannot know exactly: message framing the adapter adds, a different tokenizer at the
 * provider, separators between partial answers. {@link #withDefaultMargin} takes {@value
 * #DEFAULT_MARGIN_TOKENS} tokens plus {@value #DEFAULT_MARGIN_PERCENT}% of the context window.
 *
 * @param contextTokens the model's context window (prompt and output together)
 * @param instructionTokens the instruction with its message framing, as the estimator counts it
 * @param maxOutputTokens the call's {@code max_tokens}
 * @param marginTokens tokens kept free
 */
public record CallBudget(
    long contextTokens, long instructionTokens, long maxOutputTokens, long marginTokens) {

  /** The fixed part of the default margin: framing of a few messages and the reply's priming. */
  public static final long DEFAULT_MARGIN_TOKENS = 64;

  /** The share of the context window the default margin adds, in percent. */
  public static final long DEFAULT_MARGIN_PERCENT = 1;

  public CallBudget {
    requirePositive("context window", contextTokens);
    requireNotNegative("instruction tokens", instructionTokens);
    requirePositive("max_tokens", maxOutputTokens);
    requireNotNegative("margin", marginTokens);
  }

  /** A budget with the default margin ({@link #defaultMargin}). */
  public static CallBudget withDefaultMargin(
      long contextTokens, long instructionTokens, long maxOutputTokens) {
    return new CallBudget(
        contextTokens, instructionTokens, maxOutputTokens, defaultMargin(contextTokens));
  }

  /**
   * {@value #DEFAULT_MARGIN_TOKENS} tokens plus {@value #DEFAULT_MARGIN_PERCENT}% of the window.
   */
  public static long defaultMargin(long contextTokens) {
    return DEFAULT_MARGIN_TOKENS + Math.ceilDiv(contextTokens * DEFAULT_MARGIN_PERCENT, 100);
  }

  /** Tokens left for the carried text; zero or less when nothing fits. */
  public long available() {
    return contextTokens - instructionTokens - maxOutputTokens - marginTokens;
  }

  /** How {@link #available()} is made, for messages: {@code 128000 − 52 − 4000 − 1344}. */
  public String describe() {
    return contextTokens
        + " context − "
        + instructionTokens
        + " instruction − "
        + maxOutputTokens
        + " max_tokens − "
        + marginTokens
        + " margin";
  }

  private static void requirePositive(String name, long value) {
    if (value < 1) {
      throw new IllegalArgumentException(name + " must be at least 1, was " + value);
    }
  }

  private static void requireNotNegative(String name, long value) {
    if (value < 0) {
      throw new IllegalArgumentException(name + " must not be negative, was " + value);
    }
  }
}
