package io.sluice.providers.contract;

import io.sluice.providers.BatchState;
import io.sluice.providers.ProviderConfig;
import java.net.URI;

class OpenAiBatchProviderContractTest extends BatchProviderContractTest {
  @Override
  ProviderConfig config(URI simulatorBaseUrl) {
    return ProviderConfig.openai(API_KEY).withBaseUrl(simulatorBaseUrl);
  }

  @Override
  String model() {
    return "gpt-4o-mini";
  }

  @Override
  boolean keepsMetadata() {
    return true;
  }

  @Override
  BatchState expiredState() {
    return BatchState.EXPIRED;
  }
}
