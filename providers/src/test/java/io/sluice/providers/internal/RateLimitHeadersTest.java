package io.sluice.providers.internal;

import static io.sluice.providers.internal.RetryHintsTest.headers;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.providers.RateLimitSnapshot;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RateLimitHeadersTest {
  private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");

  @Test
  void shouldReadOpenAiHeadersWithResetsRelativeToTheClock() {
    RateLimitSnapshot snapshot =
        RateLimitHeaders.openAi(
            headers(
                Map.of(
                    "x-ratelimit-limit-requests", "500",
                    "x-ratelimit-remaining-requests", "499",
                    "x-ratelimit-reset-requests", "120ms",
                    "x-ratelimit-limit-tokens", "200000",
                    "x-ratelimit-remaining-tokens", "199000",
                    "x-ratelimit-reset-tokens", "6m0s")),
            NOW);

    assertThat(snapshot.requestsLimit()).isEqualTo(500);
    assertThat(snapshot.requestsRemaining()).isEqualTo(499);
    assertThat(snapshot.requestsReset()).isEqualTo(NOW.plusMillis(120));
    assertThat(snapshot.tokensLimit()).isEqualTo(200_000);
    assertThat(snapshot.tokensRemaining()).isEqualTo(199_000);
    assertThat(snapshot.tokensReset()).isEqualTo(NOW.plusSeconds(360));
    assertThat(snapshot.inputTokensLimit()).isNull();
  }

  @Test
  void shouldReadAnthropicHeadersWithRfc3339Resets() {
    RateLimitSnapshot snapshot =
        RateLimitHeaders.anthropic(
            headers(
                Map.of(
                    "anthropic-ratelimit-requests-limit", "50",
                    "anthropic-ratelimit-requests-remaining", "49",
                    "anthropic-ratelimit-requests-reset", "2026-03-01T12:00:01Z",
                    "anthropic-ratelimit-input-tokens-limit", "30000",
                    "anthropic-ratelimit-input-tokens-remaining", "29000",
                    "anthropic-ratelimit-input-tokens-reset", "2026-03-01T13:00:02+01:00",
                    "anthropic-ratelimit-output-tokens-limit", "8000",
                    "anthropic-ratelimit-output-tokens-remaining", "8000",
                    "anthropic-ratelimit-output-tokens-reset", "2026-03-01T12:00:00.5Z",
                    "anthropic-ratelimit-tokens-remaining", "37000")));

    assertThat(snapshot.requestsLimit()).isEqualTo(50);
    assertThat(snapshot.requestsRemaining()).isEqualTo(49);
    assertThat(snapshot.requestsReset()).isEqualTo(NOW.plusSeconds(1));
    assertThat(snapshot.inputTokensLimit()).isEqualTo(30_000);
    assertThat(snapshot.inputTokensRemaining()).isEqualTo(29_000);
    assertThat(snapshot.inputTokensReset()).isEqualTo(NOW.plusSeconds(2));
    assertThat(snapshot.outputTokensLimit()).isEqualTo(8_000);
    assertThat(snapshot.outputTokensReset()).isEqualTo(NOW.plusMillis(500));
    assertThat(snapshot.tokensRemaining()).isEqualTo(37_000);
    assertThat(snapshot.tokensLimit()).isNull();
  }

  @Test
  void shouldLeaveUnparsableValuesEmpty() {
    RateLimitSnapshot snapshot =
        RateLimitHeaders.openAi(
            headers(
                Map.of("x-ratelimit-limit-requests", "lots", "x-ratelimit-reset-tokens", "later")),
            NOW);
    assertThat(snapshot.isEmpty()).isTrue();
    assertThat(RateLimitHeaders.anthropic(headers(Map.of())).isEmpty()).isTrue();
  }
}
