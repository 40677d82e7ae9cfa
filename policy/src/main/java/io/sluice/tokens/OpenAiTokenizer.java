package io.sluice.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import io.sluice.schemas.job.ChatMessage;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Exact token counts for OpenAI models with jtokkit: {@code o200k_base} for the gpt-4o, gpt-4.1,
 * gpt-4.5, gpt-5 and o-series families, {@code cl100k_base} for gpt-4, gpt-3.5 and the embedding
 * models. A chat prompt costs 3 tokens of framing per message plus its role and content, and 3
 * tokens that prime the reply (OpenAI's published counting rule).
 */
public final class OpenAiTokenizer implements TokenEstimator {
  /** Framing tokens per message ({@code <|start|>role<|message|>...<|end|>}, without the role). */
  public static final int TOKENS_PER_MESSAGE = 3;

  /** Tokens that prime the assistant's reply. */
  public static final int REPLY_PRIMING_TOKENS = 3;

  private static final String[] O200K_PREFIXES = {
    "gpt-4o", "gpt-4.1", "gpt-4.5", "gpt-5", "o1", "o3", "o4", "chatgpt-4o"
  };
  private static final String[] CL100K_PREFIXES = {
    "gpt-4", "gpt-3.5", "gpt-35", "text-embedding-3", "text-embedding-ada-002"
  };

  private final Encoding encoding;

  /** A tokenizer with one of jtokkit's encodings. */
  public OpenAiTokenizer(EncodingType type) {
    this.encoding = Registry.INSTANCE.getEncoding(Objects.requireNonNull(type, "type"));
  }

  /**
   * The one tokenizer of an encoding: tokenizers are immutable and thread-safe, and making one
   * looks its encoding up in jtokkit's registry, which showed in profiles of the dispatcher (one
   * per task).
   */
  static OpenAiTokenizer of(EncodingType type) {
    return Registry.TOKENIZERS.computeIfAbsent(type, OpenAiTokenizer::new);
  }

  /** The encoding of an OpenAI model name (lower case), or empty when it is not an OpenAI model. */
  public static Optional<EncodingType> encodingFor(String model) {
    for (String prefix : O200K_PREFIXES) {
      if (model.startsWith(prefix)) {
        return Optional.of(EncodingType.O200K_BASE);
      }
    }
    for (String prefix : CL100K_PREFIXES) {
      if (model.startsWith(prefix)) {
        return Optional.of(EncodingType.CL100K_BASE);
      }
    }
    return Optional.empty();
  }

  /** The encoding's name, e.g. {@code o200k_base}. */
  public String encodingName() {
    return encoding.getName();
  }

  @Override
  public long countText(String text) {
    return text == null || text.isEmpty() ? 0 : encoding.countTokensOrdinary(text);
  }

  @Override
  public long countMessages(List<ChatMessage> messages) {
    long tokens = REPLY_PRIMING_TOKENS;
    for (ChatMessage message : messages) {
      tokens += TOKENS_PER_MESSAGE + countText(message.role()) + countText(message.content());
    }
    return tokens;
  }

  /** One registry per JVM: building encodings is expensive, using them is thread-safe. */
  private static final class Registry {
    private static final EncodingRegistry INSTANCE = Encodings.newLazyEncodingRegistry();
    private static final Map<EncodingType, OpenAiTokenizer> TOKENIZERS = new ConcurrentHashMap<>();
  }
}
