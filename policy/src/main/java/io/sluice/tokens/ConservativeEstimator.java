package io.sluice.tokens;

import io.sluice.schemas.job.ChatMessage;
import java.util.List;

/**
 * An estimate for models without a public tokenizer (Anthropic, open models), meant to lie at or
 * above the provider's count so that reservations rarely fall short: ASCII characters at 3.5 per
 * token (English text averages about 4 per token on current tokenizers), every other code point
 * (accents, CJK, emoji) as one whole token, rounded up; plus 4 tokens of framing per message and 3
 * per request. Reconciliation after the call corrects the estimate with the provider's count.
 */
public final class ConservativeEstimator implements TokenEstimator {
  /** ASCII characters per token. */
  public static final double ASCII_CHARS_PER_TOKEN = 3.5;

  /** Framing tokens per message. */
  public static final int TOKENS_PER_MESSAGE = 4;

  /** Framing tokens per request. */
  public static final int TOKENS_PER_REQUEST = 3;

  /** The estimator has no state: one serves every caller. */
  static final ConservativeEstimator INSTANCE = new ConservativeEstimator();

  @Override
  public long countText(String text) {
    if (text == null || text.isEmpty()) {
      return 0;
    }
    long ascii = text.chars().filter(c -> c < 128).count();
    long other = text.codePoints().filter(c -> c >= 128).count();
    return (long) Math.ceil(ascii / ASCII_CHARS_PER_TOKEN) + other;
  }

  @Override
  public long countMessages(List<ChatMessage> messages) {
    long tokens = TOKENS_PER_REQUEST;
    for (ChatMessage message : messages) {
      tokens += TOKENS_PER_MESSAGE + countText(message.content());
    }
    return tokens;
  }
}
