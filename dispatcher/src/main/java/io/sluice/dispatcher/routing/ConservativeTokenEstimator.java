package io.sluice.dispatcher.routing;

import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;
import java.nio.charset.StandardCharsets;

/**
 * A tokenizer-free upper estimate: one token per three UTF-8 bytes of text, plus the per-message
 * framing chat APIs add. English averages about four characters per token and CJK about three bytes
 * per token, so this overestimates for almost all text, which is the safe side for rate limiting.
 */
public final class ConservativeTokenEstimator implements TokenEstimator {
  static final int BYTES_PER_TOKEN = 3;
  static final int TOKENS_PER_MESSAGE = 4;
  static final int TOKENS_PER_REPLY = 3;

  @Override
  public long estimateInputTokens(CompletionSpec request) {
    long tokens = TOKENS_PER_REPLY;
    if (request.messages() != null) {
      for (ChatMessage message : request.messages()) {
        tokens += TOKENS_PER_MESSAGE + tokensOf(message.role()) + tokensOf(message.content());
      }
    }
    if (request.responseSchema() != null) {
      tokens += tokensOf(request.responseSchema().toString());
    }
    return tokens;
  }

  private static long tokensOf(String text) {
    if (text == null) {
      return 0;
    }
    long bytes = text.getBytes(StandardCharsets.UTF_8).length;
    return (bytes + BYTES_PER_TOKEN - 1) / BYTES_PER_TOKEN;
  }
}
