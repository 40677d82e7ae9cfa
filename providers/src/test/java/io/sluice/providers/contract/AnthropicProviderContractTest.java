package io.sluice.providers.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderException;
import io.sluice.providers.RateLimitSnapshot;
import java.net.URI;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class AnthropicProviderContractTest extends ProviderContractTest {
  @Override
  ProviderConfig config(URI simulatorBaseUrl, String apiKey) {
    return ProviderConfig.anthropic(apiKey).withBaseUrl(simulatorBaseUrl);
  }

  @Override
  String model() {
    return "claude-haiku-4-5";
  }

  @Override
  int overloadStatus() {
    return 529;
  }

  @Override
  void assertRateLimits(RateLimitSnapshot snapshot) {
    Instant now = Instant.now();
    assertThat(snapshot.requestsLimit()).isEqualTo(50);
    assertThat(snapshot.inputTokensLimit()).isEqualTo(50_000);
    assertThat(snapshot.outputTokensLimit()).isEqualTo(10_000);
    assertThat(snapshot.requestsRemaining()).isBetween(0L, 49L);
    assertThat(snapshot.inputTokensRemaining()).isBetween(0L, 50_000L);
    assertThat(snapshot.outputTokensRemaining()).isBetween(0L, 10_000L);
    assertThat(snapshot.requestsReset()).isBetween(now.minusSeconds(1), now.plusSeconds(61));
    assertThat(snapshot.inputTokensReset()).isBetween(now.minusSeconds(1), now.plusSeconds(61));
    assertThat(snapshot.outputTokensReset()).isBetween(now.minusSeconds(1), now.plusSeconds(61));
  }

  @Test
  void shouldRetryOverloadedError() {
    ProviderException e = failure("#sim error=529 code=overloaded_error\nhello");

    assertThat(e.isRetriable()).isTrue();
    assertThat(e.errorCode()).isEqualTo("overloaded_error");
  }
}
