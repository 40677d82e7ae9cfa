package io.sluice.workers.testing;

import io.sluice.providers.CompletionResponse;
import io.sluice.providers.Provider;
import io.sluice.providers.ProviderConfig;
import io.sluice.providers.ProviderFactory;
import io.sluice.providers.ProviderKind;
import io.sluice.schemas.job.CompletionSpec;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * The providers module's real OpenAI adapter pointed at the simulator, counting calls and telling a
 * listener about each one (so that tests know when a call is in progress).
 */
public final class SimulatorProvider implements Provider {
  private final Provider openAi;
  private final Consumer<CompletionSpec> onCall;
  private final AtomicInteger calls = new AtomicInteger();

  public SimulatorProvider(URI simulatorBaseUrl, Consumer<CompletionSpec> onCall) {
    this.openAi =
        new ProviderFactory()
            .realtime(
                ProviderConfig.of("openai", ProviderKind.OPENAI, simulatorBaseUrl, "sk-test"));
    this.onCall = onCall;
  }

  public SimulatorProvider(URI simulatorBaseUrl) {
    this(simulatorBaseUrl, request -> {});
  }

  public int calls() {
    return calls.get();
  }

  @Override
  public String name() {
    return openAi.name();
  }

  @Override
  public CompletionResponse complete(CompletionSpec request) {
    calls.incrementAndGet();
    onCall.accept(request);
    return openAi.complete(request);
  }

  @Override
  public void close() {
    openAi.close();
  }
}
