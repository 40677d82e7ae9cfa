package io.sluice.simulator.internal.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.simulator.ModelLimits;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AnthropicLimiterTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void shouldRoundTokenRemainingToTheNearestThousand() {
    assertThat(AnthropicLimiter.roundToThousand(29_501)).isEqualTo(30_000);
    assertThat(AnthropicLimiter.roundToThousand(29_499)).isEqualTo(29_000);
    assertThat(AnthropicLimiter.roundToThousand(400)).isZero();
  }

  @Test
  void shouldGiveBackUnusedOutputEstimateAfterTheCall() {
    AnthropicLimiter limiter =
        new AnthropicLimiter("claude-x", ModelLimits.anthropic(50, 30_000, 8_000), T0);

    Decision decision = limiter.admit(100, 4_000, T0);
    Map<String, String> during = decision.headers();
    limiter.reconcile(decision.reservation(), 10, T0);
    Map<String, String> after = limiter.headers(T0);

    assertThat(during).containsEntry("anthropic-ratelimit-output-tokens-remaining", "4000");
    assertThat(after).containsEntry("anthropic-ratelimit-output-tokens-remaining", "8000");
    assertThat(after).containsEntry("anthropic-ratelimit-input-tokens-remaining", "30000");
    assertThat(after).containsEntry("anthropic-ratelimit-requests-remaining", "49");
    assertThat(after).containsEntry("anthropic-ratelimit-requests-reset", "2026-01-01T00:00:02Z");
  }

  @Test
  void shouldRefuseWhenTheOutputEstimateDoesNotFit() {
    AnthropicLimiter limiter =
        new AnthropicLimiter("claude-x", ModelLimits.anthropic(50, 30_000, 1_000), T0);

    assertThat(limiter.admit(10, 800, T0).admitted()).isTrue();
    Decision refused = limiter.admit(10, 800, T0);

    assertThat(refused.admitted()).isFalse();
    assertThat(refused.limitType()).isEqualTo("output_tokens");
    assertThat(refused.retryAfter().toSeconds()).isEqualTo(36);
  }
}
