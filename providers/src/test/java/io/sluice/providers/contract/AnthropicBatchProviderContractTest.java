package io.sluice.providers.contract;

import io.sluice.providers.BatchState;
import io.sluice.providers.ProviderConfig;
import java.net.URI;

class AnthropicBatchProviderContractTest extends BatchProviderContractTest {
  @Override
  ProviderConfig config(URI simulatorBaseUrl) {
    return ProviderConfig.anthropic(API_KEY).withBaseUrl(simulatorBaseUrl);
  }

  @Override
  String model() {
    return "claude-haiku-4-5";
  }

  /** Anthropic has no expired batch status: the batch ends and its late lines are expired. */
  @Override
  boolean keepsMetadata() {
    return false;
  }

  @Override
  BatchState expiredState() {
    return BatchState.COMPLETED;
  }
}
