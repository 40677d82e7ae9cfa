package io.sluice.bench.backlog;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.api.EncodingType;
import io.sluice.tokens.OpenAiTokenizer;
import java.util.List;
import org.junit.jupiter.api.Test;

class PromptTextTest {
  private final OpenAiTokenizer tokenizer = new OpenAiTokenizer(EncodingType.O200K_BASE);

  @Test
  void shouldWriteTextsOfExactlyTheAskedTokenCount() {
    for (long tokens : List.of(1L, 2L, 43L, 999L, 3_993L)) {
      assertThat(tokenizer.countText(PromptText.words(tokens, tokens * 7))).isEqualTo(tokens);
    }
  }

  @Test
  void shouldWritePromptsThatTheProviderCountsExactly() {
    for (long prompt : List.of(50L, 51L, 1_234L, 4_000L)) {
      assertThat(tokenizer.countMessages(List.of(PromptText.userMessage(prompt, prompt))))
          .isEqualTo(prompt);
    }
  }

  @Test
  void shouldWriteTheSameTextForTheSameSeedAndAnotherForAnother() {
    assertThat(PromptText.words(200, 1)).isEqualTo(PromptText.words(200, 1));
    assertThat(PromptText.words(200, 1)).isNotEqualTo(PromptText.words(200, 2));
  }
}
