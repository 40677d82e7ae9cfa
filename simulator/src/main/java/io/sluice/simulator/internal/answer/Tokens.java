package io.sluice.simulator.internal.answer;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingType;
import com.knuddels.jtokkit.api.IntArrayList;
import java.util.List;

/**
 * Token counts with a real tokenizer (jtokkit, o200k_base) for every model. Chat prompts follow
 * OpenAI's accounting: 3 tokens per message plus the role and content, plus 3 to prime the reply.
 */
public final class Tokens {
  private static final Encoding ENCODING =
      Encodings.newLazyEncodingRegistry().getEncoding(EncodingType.O200K_BASE);
  private static final int PER_MESSAGE = 3;
  private static final int REPLY_PRIMING = 3;

  private Tokens() {}

  /** Tokens in a plain text. */
  public static int count(String text) {
    return text.isEmpty() ? 0 : ENCODING.countTokensOrdinary(text);
  }

  /** Tokens of a chat prompt. */
  public static int countPrompt(List<PromptMessage> messages) {
    int total = REPLY_PRIMING;
    for (PromptMessage message : messages) {
      total += PER_MESSAGE + count(message.role()) + count(message.text());
    }
    return total;
  }

  /** The text cut to at most {@code maxTokens} tokens. */
  public static Truncated truncate(String text, int maxTokens) {
    IntArrayList tokens = ENCODING.encodeOrdinary(text);
    if (tokens.size() <= maxTokens) {
      return new Truncated(text, tokens.size(), false);
    }
    IntArrayList kept = new IntArrayList(maxTokens);
    for (int i = 0; i < maxTokens; i++) {
      kept.add(tokens.get(i));
    }
    return new Truncated(ENCODING.decode(kept), maxTokens, true);
  }

  /** A text cut to a token budget. */
  public record Truncated(String text, int tokens, boolean cut) {}
}
