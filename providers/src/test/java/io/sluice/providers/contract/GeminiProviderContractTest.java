package io.sluice.providers.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.sluice.providers.Provider;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderException;
import io.sluice.providers.ProviderFactory;
import io.sluice.providers.ProviderKind;
import io.sluice.providers.RateLimitSnapshot;
import io.sluice.simulator.LatencySettings;
import io.sluice.simulator.ModelLimits;
import io.sluice.simulator.Simulator;
import io.sluice.simulator.SimulatorConfig;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The Gemini API adapter: the shared contract (the simulator turns {@code retry-after*} directives
 * into {@code RetryInfo.retryDelay}, as Gemini sends its hints), plus Gemini's own cases: RPC
 * status names as error codes, a per-day quota that waiting does not clear, and limits without
 * headers.
 */
class GeminiProviderContractTest extends ProviderContractTest {
  @Override
  ProviderConfig config(URI simulatorBaseUrl, String apiKey) {
    return ProviderConfig.gemini(apiKey).withBaseUrl(simulatorBaseUrl);
  }

  @Override
  String model() {
    return "gemini-2.5-flash";
  }

  @Override
  int overloadStatus() {
    return 503;
  }

  @Override
  int wrongKeyStatus() {
    return 400;
  }

  @Override
  void assertRateLimits(RateLimitSnapshot snapshot) {
    assertThat(snapshot).isEqualTo(RateLimitSnapshot.NONE);
  }

  @Test
  void shouldKeepGooglesStatusNameAsTheErrorCode() {
    assertThat(failure("#sim error=400\nhello").errorCode()).isEqualTo("INVALID_ARGUMENT");
    assertThat(failure("#sim error=403\nhello").errorCode()).isEqualTo("PERMISSION_DENIED");
    assertThat(failure("#sim error=404\nhello").errorCode()).isEqualTo("NOT_FOUND");
    assertThat(failure("#sim error=500\nhello").errorCode()).isEqualTo("INTERNAL");
    assertThat(failure("#sim error=503\nhello").errorCode()).isEqualTo("UNAVAILABLE");
  }

  @Test
  void shouldRetryResourceExhaustedPerMinuteAfterItsRetryDelay() {
    ProviderException e = failure("#sim error=429 retry-after=30\nhello");

    assertThat(e.isRetriable()).isTrue();
    assertThat(e.isRateLimited()).isTrue();
    assertThat(e.errorCode()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(30));
  }

  @Test
  void shouldTreatAnExhaustedDailyQuotaAsPermanent() {
    ProviderException e = failure("#sim error=429 code=daily_quota retry-after=30\nhello");

    assertThat(e.kind()).isEqualTo(ProviderException.Kind.PERMANENT);
    assertThat(e.httpStatus()).isEqualTo(429);
    assertThat(e.errorCode()).isEqualTo("RESOURCE_EXHAUSTED");
    assertThat(e.retryAfter()).isEmpty();
  }

  @Test
  void shouldReportALimitWithoutHeadersAsARetriable429WithTheRetryDelay() {
    try (Simulator limited =
            Simulator.start(
                SimulatorConfig.builder()
                    .latency(LatencySettings.NONE)
                    .limits(model(), ModelLimits.gemini(1, 1_000_000))
                    .build());
        Provider gemini = new ProviderFactory().realtime(config(limited.baseUrl(), API_KEY))) {
      assertThat(gemini.complete(call("reverse: abc")).rateLimits().isEmpty()).isTrue();

      ProviderException e =
          catchThrowableOfType(
              ProviderException.class, () -> gemini.complete(call("reverse: abc")));

      assertThat(e.isRetriable()).isTrue();
      assertThat(e.errorCode()).isEqualTo("RESOURCE_EXHAUSTED");
      assertThat(e.retryAfter()).hasValueSatisfying(wait -> assertThat(wait).isPositive());
      assertThat(e.rateLimits().isEmpty()).isTrue();
      assertThat(e.getMessage()).contains("Quota exceeded");
    }
  }

  @Test
  void shouldBeRegisteredWithoutRateLimitHeadersOrBatchApi() {
    assertThat(ProviderKind.forProvider("gemini")).isEqualTo(ProviderKind.GEMINI);
    assertThat(ProviderKind.GEMINI.hasBatchApi()).isFalse();
    assertThat(prices.price(model())).isPresent();
  }
}
