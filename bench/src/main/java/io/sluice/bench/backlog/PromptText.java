package io.sluice.bench.backlog;

import io.sluice.schemas.job.ChatMessage;
import io.sluice.tokens.OpenAiTokenizer;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic prompt text whose token count (o200k_base, as the simulator and OpenAI count it) is
 * exactly what was asked for. Built from words that are one token each, with or without a leading
 * space, so the count of a text of {@code n} words is {@code n}.
 */
public final class PromptText {
  private static final String[] CANDIDATES = {
    "river",
    "stone",
    "quiet",
    "light",
    "paper",
    "window",
    "market",
    "garden",
    "silver",
    "engine",
    "cloud",
    "bridge",
    "forest",
    "summer",
    "winter",
    "water",
    "house",
    "table",
    "music",
    "story",
    "green",
    "yellow",
    "orange",
    "simple",
    "little",
    "number",
    "letter",
    "report",
    "country",
    "people",
    "system",
    "program",
    "question",
    "school",
    "family",
    "friend",
    "money",
    "power",
    "order",
    "field",
    "state",
    "group",
    "price",
    "value",
    "level",
    "model",
    "plan",
    "road",
    "city",
    "north",
    "south",
    "east",
    "west",
    "morning",
    "evening",
    "night",
    "point",
    "line",
    "data"
  };
  private static final OpenAiTokenizer TOKENIZER =
      new OpenAiTokenizer(OpenAiTokenizer.encodingFor("gpt-4o-mini").orElseThrow());
  private static final String[] WORDS = singleTokenWords();
  private static final long OVERHEAD = TOKENIZER.countMessages(List.of(ChatMessage.user("")));

  private PromptText() {}

  /** The tokens a chat prompt of one user message adds beyond its content's own tokens. */
  public static long overhead() {
    return OVERHEAD;
  }

  /** A user message whose whole chat prompt counts exactly {@code promptTokens} tokens. */
  public static ChatMessage userMessage(long promptTokens, long seed) {
    if (promptTokens <= OVERHEAD) {
      throw new IllegalArgumentException(
          "a prompt needs more than " + OVERHEAD + " tokens, got " + promptTokens);
    }
    return ChatMessage.user(words(promptTokens - OVERHEAD, seed));
  }

  /** A text of exactly {@code tokens} tokens, seeded. */
  public static String words(long tokens, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    StringBuilder text = new StringBuilder((int) tokens * 7);
    for (long i = 0; i < tokens; i++) {
      if (i > 0) {
        text.append(' ');
      }
      text.append(WORDS[random.nextInt(WORDS.length)]);
    }
    return text.toString();
  }

  /** Counts a text as the provider does; for tests and checks. */
  public static long count(String text) {
    return TOKENIZER.countText(text);
  }

  private static String[] singleTokenWords() {
    String[] words =
        java.util.Arrays.stream(CANDIDATES)
            .filter(w -> TOKENIZER.countText(w) == 1 && TOKENIZER.countText(" " + w) == 1)
            .toArray(String[]::new);
    if (words.length < 16) {
      throw new IllegalStateException("too few single-token words: " + words.length);
    }
    return words;
  }
}
