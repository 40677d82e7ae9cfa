package io.sluice.providers.contract;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.providers.ProviderConfig;
import io.sluice.providers.RateLimitSnapshot;
import java.net.URI;

/** An OpenAI-compatible server configured the way vLLM or Ollama is: a base URL ending in /v1. */
class OpenAiCompatibleProviderContractTest extends ProviderContractTest {
  @Override
  ProviderConfig config(URI simulatorBaseUrl, String apiKey) {
    return ProviderConfig.openAiCompatible("vllm", URI.create(simulatorBaseUrl + "/v1"), apiKey);
  }

  @Override
  String model() {
    return "gpt-4.1-mini";
  }

  @Override
  int overloadStatus() {
    return 503;
  }

  @Override
  void assertRateLimits(RateLimitSnapshot snapshot) {
    assertThat(snapshot.requestsLimit()).isEqualTo(500);
    assertThat(snapshot.tokensLimit()).isEqualTo(200_000);
  }
}
