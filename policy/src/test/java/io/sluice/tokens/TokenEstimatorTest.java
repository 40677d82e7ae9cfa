package io.sluice.tokens;

import static org.assertj.core.api.Assertions.assertThat;

import com.knuddels.jtokkit.api.EncodingType;
import io.sluice.schemas.job.ChatMessage;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenEstimatorTest {
  private static final String ENGLISH =
      "The bottleneck of every LLM platform is the provider's rate limit, not its own servers."
          + " Sluice queues work by priority and feeds it to worker pools that run exactly as fast"
          + " as each provider allows, splitting documents that are too large for one call.";

  @Test
  void shouldUseO200kForTheGpt4oAndGpt41Families() {
    assertThat(OpenAiTokenizer.encodingFor("gpt-4o-mini")).contains(EncodingType.O200K_BASE);
    assertThat(OpenAiTokenizer.encodingFor("gpt-4.1")).contains(EncodingType.O200K_BASE);
    assertThat(OpenAiTokenizer.encodingFor("o3-mini")).contains(EncodingType.O200K_BASE);
    assertThat(((OpenAiTokenizer) TokenEstimator.forModel("GPT-4o")).encodingName())
        .isEqualTo("o200k_base");
  }

  @Test
  void shouldFallBackToCl100kForOlderOpenAiModels() {
    assertThat(OpenAiTokenizer.encodingFor("gpt-4-turbo")).contains(EncodingType.CL100K_BASE);
    assertThat(OpenAiTokenizer.encodingFor("gpt-3.5-turbo")).contains(EncodingType.CL100K_BASE);
  }

  @Test
  void shouldShareOneEstimatorPerEncodingAcrossModels() {
    assertThat(TokenEstimator.forModel("gpt-4o")).isSameAs(TokenEstimator.forModel("gpt-4.1-mini"));
    assertThat(TokenEstimator.forModel("gpt-4o")).isNotSameAs(TokenEstimator.forModel("gpt-4"));
    assertThat(TokenEstimator.forModel("claude-haiku-4-5"))
        .isSameAs(TokenEstimator.forModel("gemini-2.5-flash"));
  }

  @Test
  void shouldEstimateConservativelyForModelsWithoutAPublicTokenizer() {
    assertThat(TokenEstimator.forModel("claude-sonnet-4-5"))
        .isInstanceOf(ConservativeEstimator.class);
    assertThat(TokenEstimator.forModel("llama-3.1-70b")).isInstanceOf(ConservativeEstimator.class);
  }

  @Test
  void shouldCountTextExactlyWithTheModelsEncoding() {
    TokenEstimator gpt4o = TokenEstimator.forModel("gpt-4o");

    assertThat(gpt4o.countText("hello world")).isEqualTo(2);
    assertThat(gpt4o.countText("")).isZero();
  }

  @Test
  void shouldAddThreeTokensPerMessageAndThreeToPrimeTheReply() {
    TokenEstimator gpt4o = TokenEstimator.forModel("gpt-4o");
    List<ChatMessage> messages =
        List.of(ChatMessage.system("You are terse."), ChatMessage.user("hello world"));

    long expected =
        3
            + (3 + gpt4o.countText("system") + gpt4o.countText("You are terse."))
            + (3 + gpt4o.countText("user") + gpt4o.countText("hello world"));

    assertThat(gpt4o.countMessages(messages)).isEqualTo(expected).isEqualTo(17);
  }

  @Test
  void shouldCountTextContainingSpecialTokenMarkersAsOrdinaryText() {
    TokenEstimator gpt4o = TokenEstimator.forModel("gpt-4o");

    assertThat(gpt4o.countText("<|endoftext|>")).isGreaterThan(1);
  }

  @Test
  void shouldCountAsciiAtThreeAndAHalfCharactersPerTokenRoundedUp() {
    ConservativeEstimator estimator = new ConservativeEstimator();

    assertThat(estimator.countText("abcdefg")).isEqualTo(2);
    assertThat(estimator.countText("abcdefgh")).isEqualTo(3);
  }

  @Test
  void shouldCountEveryNonAsciiCodePointAsAToken() {
    ConservativeEstimator estimator = new ConservativeEstimator();

    assertThat(estimator.countText("日本語")).isEqualTo(3);
    assertThat(estimator.countText("😀")).isEqualTo(1);
  }

  @Test
  void shouldEstimateEnglishProseAtLeastAsHighAsTheRealTokenizers() {
    long conservative =
        new ConservativeEstimator().countMessages(List.of(ChatMessage.user(ENGLISH)));

    assertThat(conservative)
        .isGreaterThanOrEqualTo(
            TokenEstimator.forModel("gpt-4o").countMessages(List.of(ChatMessage.user(ENGLISH))))
        .isGreaterThanOrEqualTo(
            TokenEstimator.forModel("gpt-4").countMessages(List.of(ChatMessage.user(ENGLISH))));
  }
}
