package io.sluice.dispatcher.routing;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.job.ChatMessage;
import io.sluice.schemas.job.CompletionSpec;
import io.sluice.schemas.json.Json;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConservativeTokenEstimatorTest {
  private final ConservativeTokenEstimator estimator = new ConservativeTokenEstimator();

  @Test
  void shouldEstimateMoreThanTypicalEnglishTokenCount() {
    String text = "The quick brown fox jumps over the lazy dog. ".repeat(20); // ~200 real tokens
    long estimate = estimator.estimateInputTokens(spec(ChatMessage.user(text)));

    assertThat(estimate).isGreaterThan(text.length() / 4).isLessThan(text.length());
  }

  @Test
  void shouldCountMultiByteTextByItsBytes() {
    String japanese = "日本語のテキスト".repeat(10); // 80 characters, 240 UTF-8 bytes

    assertThat(estimator.estimateInputTokens(spec(ChatMessage.user(japanese))))
        .isGreaterThanOrEqualTo(80);
  }

  @Test
  void shouldChargeFramingForEveryMessage() {
    long one = estimator.estimateInputTokens(spec(ChatMessage.user("hi")));
    long two =
        estimator.estimateInputTokens(spec(ChatMessage.system("hi"), ChatMessage.user("hi")));

    assertThat(two - one).isGreaterThanOrEqualTo(ConservativeTokenEstimator.TOKENS_PER_MESSAGE);
  }

  @Test
  void shouldCountTheResponseSchema() throws Exception {
    var schema =
        Json.mapper()
            .readTree("{\"type\":\"object\",\"properties\":{\"name\":{\"type\":\"string\"}}}");
    var plain = spec(ChatMessage.user("extract the name"));
    var structured = new CompletionSpec(plain.model(), plain.messages(), null, null, schema);

    assertThat(estimator.estimateInputTokens(structured))
        .isGreaterThan(estimator.estimateInputTokens(plain));
  }

  private static CompletionSpec spec(ChatMessage... messages) {
    return new CompletionSpec("gpt-4o-mini", List.of(messages), null, null, null);
  }
}
