package io.sluice.simulator.internal.answer;

import java.util.List;

/**
 * Token counts that differ from o200k on purpose (enforcement variant a), as providers' own counts
 * differ from a client's estimate.
 *
 * <ul>
 *   <li>OpenAI's admission estimate: {@code ceil(characters / 4)} of the messages' text, the rule
 *       of thumb OpenAI documents ("one token is about 4 characters"), charged with {@code
 *       max_tokens} before the call instead of the tokenizer's count.
 *   <li>A model of a Claude tokenizer: not Anthropic's (which is not public) but a deterministic,
 *       seeded stand-in biased against o200k — each message's text counts its o200k tokens times
 *       {@code 1 + bias}, the bias drawn in [{@code min}, {@code max}] from the seed and the text
 *       (the same text always counts the same; different texts differ), rounded up; framing as
 *       {@link Tokens#countPrompt}.
 * </ul>
 */
public final class ProviderTokens {
  private static final int PER_MESSAGE = 3;
  private static final int REPLY_PRIMING = 3;

  private ProviderTokens() {}

  /** OpenAI's characters-based estimate of a prompt: {@code ceil(characters / 4)}. */
  public static long characterEstimate(List<PromptMessage> messages) {
    long characters = 0;
    for (PromptMessage message : messages) {
      characters += message.text().length();
    }
    return Math.ceilDiv(characters, 4);
  }

  /** The prompt's tokens by the modelled Claude tokenizer. */
  public static int claudePrompt(List<PromptMessage> messages, double min, double max, long seed) {
    int total = REPLY_PRIMING;
    for (PromptMessage message : messages) {
      total +=
          PER_MESSAGE + Tokens.count(message.role()) + claudeText(message.text(), min, max, seed);
    }
    return total;
  }

  /** A text's tokens by the modelled Claude tokenizer. */
  public static int claudeText(String text, double min, double max, long seed) {
    int o200k = Tokens.count(text);
    return (int) Math.ceil(o200k * (1 + bias(text, min, max, seed)));
  }

  /** The bias of a text, in [min, max]. */
  static double bias(String text, double min, double max, long seed) {
    long z = Answerer.seedOf(text) ^ seed * 0x9E3779B97F4A7C15L;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    z ^= z >>> 31;
    return min + (max - min) * ((z >>> 11) * 0x1.0p-53);
  }
}
