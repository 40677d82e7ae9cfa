package io.sluice.launcher.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.ratelimit.RateLimits;
import org.junit.jupiter.api.Test;

class RateLimitSpecTest {
  @Test
  void shouldReadOpenAiAndAnthropicStyleLimitsPerModel() {
    var limits =
        RateLimitSpec.parse(
            "gpt-4o-mini=500rpm,200000tpm; claude-sonnet-4-5=50rpm,30000itpm,8000otpm");

    assertThat(limits)
        .containsEntry("gpt-4o-mini", RateLimits.openAi(500, 200_000))
        .containsEntry("claude-sonnet-4-5", RateLimits.anthropic(50, 30_000, 8_000));
  }

  @Test
  void shouldReadNothingFromAnEmptySpec() {
    assertThat(RateLimitSpec.parse(null)).isEmpty();
    assertThat(RateLimitSpec.parse(" ")).isEmpty();
  }

  @Test
  void shouldReadInputTokenLimitsWithoutAnOutputLimitAsGeminiStyle() {
    RateLimits limits =
        RateLimitSpec.parse("gemini-2.5-flash=1000rpm,1000000itpm").get("gemini-2.5-flash");

    assertThat(limits).isEqualTo(RateLimits.gemini(1000, 1_000_000));
  }

  @Test
  void shouldNameTheEntryAndTheProblem() {
    assertThatThrownBy(() -> RateLimitSpec.parse("gpt-4o-mini=200000tpm"))
        .hasMessage(
            "SLUICE_RATE_LIMITS entry 'gpt-4o-mini=200000tpm': a requests-per-minute limit"
                + " (<n>rpm) is required");
    assertThatThrownBy(() -> RateLimitSpec.parse("m=5rpm,9tokens"))
        .hasMessageContaining("'9tokens'");
    assertThatThrownBy(() -> RateLimitSpec.parse("m=5rpm,10otpm"))
        .hasMessageContaining("need itpm");
    assertThatThrownBy(() -> RateLimitSpec.parse("m=5rpm,10itpm,10tpm"))
        .hasMessageContaining("no tpm");
    assertThatThrownBy(() -> RateLimitSpec.parse("m=5rpm")).hasMessageContaining("token limit");
    assertThatThrownBy(() -> RateLimitSpec.parse("m=5rpm,1tpm;m=6rpm,1tpm"))
        .hasMessageContaining("twice");
    assertThatThrownBy(() -> RateLimitSpec.parse("5rpm,1tpm")).hasMessageContaining("model=");
  }
}
