package io.sluice.tokens;

import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;
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
   * Input tokens of a whole request: its messages with their framing, plus its response schema
   * (structured output reaches the model as part of the prompt). The one estimate of a call's input
   * that the dispatcher puts on a task and the workers reserve.
   */
  default long countRequest(CompletionSpec request) {
    long tokens = countMessages(request.messages() == null ? List.of() : request.messages());
    if (request.responseSchema() != null) {
      tokens += countText(request.responseSchema().toString());
    }
    return tokens;
  }

  /** {@link #countRequest} with the estimator of the request's model. */
  static long inputTokens(CompletionSpec request) {
    return forModel(request.model()).countRequest(request);
  }

  /**
   * The estimator for a model: OpenAI's own tokenizers (exact) for OpenAI models, else the
   * conservative {@link ConservativeEstimator}.
   */
  static TokenEstimator forModel(String model) {
    return OpenAiTokenizer.encodingFor(model.toLowerCase(Locale.ROOT))
        .<TokenEstimator>map(OpenAiTokenizer::of)
        .orElse(ConservativeEstimator.INSTANCE);
  }
}
