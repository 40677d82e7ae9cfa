package io.sluice.providers.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderException;
import io.sluice.providers.RateLimitSnapshot;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class OpenAiProviderContractTest extends ProviderContractTest {
  @Override
  ProviderConfig config(URI simulatorBaseUrl, String apiKey) {
    return ProviderConfig.openai(apiKey).withBaseUrl(simulatorBaseUrl);
  }

  @Override
  String model() {
    return "gpt-4o-mini";
  }

  @Override
  int overloadStatus() {
    return 503;
  }

  @Override
  void assertRateLimits(RateLimitSnapshot snapshot) {
    Instant now = Instant.now();
    assertThat(snapshot.requestsLimit()).isEqualTo(500);
    assertThat(snapshot.tokensLimit()).isEqualTo(200_000);
    assertThat(snapshot.requestsRemaining()).isBetween(0L, 499L);
    assertThat(snapshot.tokensRemaining()).isBetween(0L, 200_000L);
    assertThat(snapshot.requestsReset()).isBetween(now.minusSeconds(1), now.plusSeconds(61));
    assertThat(snapshot.tokensReset()).isBetween(now.minusSeconds(1), now.plusSeconds(61));
    assertThat(snapshot.inputTokensLimit()).isNull();
  }

  @Test
  void shouldFailFastOnInsufficientQuota() {
    ProviderException e = failure("#sim error=429 code=insufficient_quota\nhello");

    assertThat(e.kind()).isEqualTo(ProviderException.Kind.PERMANENT);
    assertThat(e.errorCode()).isEqualTo("insufficient_quota");
    assertThat(e.isRateLimited()).isTrue();
  }

  @Test
  void shouldRetryRateLimitExceeded() {
    ProviderException e = failure("#sim error=429 code=rate_limit_exceeded retry-after-ms=20\nhi");

    assertThat(e.isRetriable()).isTrue();
    assertThat(e.errorCode()).isEqualTo("rate_limit_exceeded");
    assertThat(e.retryAfter()).contains(Duration.ofMillis(20));
  }
}
