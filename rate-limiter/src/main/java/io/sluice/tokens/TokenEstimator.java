package io.sluice.tokens;

import io.sluice.schemas.job.ChatMessage;
import java.util.List;
import java.util.Locale;

/**
 * Counts, or conservatively estimates, the input tokens of a chat request: what the rate limiter
 * reserves before a call and the dispatcher uses to split documents. Implementations are
 * thread-safe.
 */
public interface TokenEstimator {

  /** Tokens of a plain text, without any message framing. */
  long countText(String text);

  /** Tokens a provider counts for these messages as a prompt, framing included. */
  long countMessages(List<ChatMessage> messages);

  /**
   * The estimator for a model: OpenAI's own tokenizers (exact) for OpenAI models, else the
   * conservative {@link ConservativeEstimator}.
   */
  static TokenEstimator forModel(String model) {
    return OpenAiTokenizer.encodingFor(model.toLowerCase(Locale.ROOT))
        .<TokenEstimator>map(OpenAiTokenizer::new)
        .orElseGet(ConservativeEstimator::new);
  }
}
