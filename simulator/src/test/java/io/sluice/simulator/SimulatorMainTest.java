package io.sluice.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SimulatorMainTest {
  @Test
  void shouldReadPortProfileLatencyAndFaultOptions() {
    SimulatorConfig config =
        SimulatorMain.parse(
            new String[] {
              "--port",
              "9099",
              "--profile",
              "anthropic-tier1",
              "--latency-base-ms",
              "20",
              "--latency-per-token-ms=0.5",
              "--overloaded-share",
              "0.1",
              "--batch-processing-ms",
              "5000"
            });

    assertThat(config.port()).isEqualTo(9099);
    assertThat(config.profile().limitsFor("claude-sonnet-4-5"))
        .isEqualTo(ModelLimits.anthropic(50, 30_000, 8_000));
    assertThat(config.latency())
        .isEqualTo(new LatencySettings(Duration.ofMillis(20), Duration.ofNanos(500_000)));
    assertThat(config.faults().overloadedShare()).isEqualTo(0.1);
    assertThat(config.batches().processingTime()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void shouldReadTheEnforcementVariantsAndTheLatencySpread() {
    SimulatorConfig config =
        SimulatorMain.parse(
            new String[] {
              "--profile",
              "openai-tier1",
              "--enforcement",
              "window=1s,charge-refused",
              "--latency-sigma",
              "0.8"
            });

    assertThat(config.profile().enforcement())
        .isEqualTo(Enforcement.EXACT.withWindow(Duration.ofSeconds(1)).withRefusedCallsCharged());
    assertThat(config.profile().limitsFor("gpt-4o-mini").tokensPerMinute()).isEqualTo(200_000);
    assertThat(config.latency().sigma()).isEqualTo(0.8);
  }

  @Test
  void shouldReadTheBatchProcessingSpread() {
    SimulatorConfig config =
        SimulatorMain.parse(
            new String[] {
              "--batch-processing-ms", "60000",
              "--batch-processing-max-ms", "600000",
              "--batch-line-skew", "2.5"
            });

    assertThat(config.batches().processingTime()).isEqualTo(Duration.ofMinutes(1));
    assertThat(config.batches().processingTimeMax()).isEqualTo(Duration.ofMinutes(10));
    assertThat(config.batches().lineSkew()).isEqualTo(2.5);
    assertThatThrownBy(
            () ->
                SimulatorMain.parse(
                    new String[] {"--batch-processing-ms", "5", "--batch-processing-max-ms", "4"}))
        .hasMessageContaining("--batch-processing-max-ms");
  }

  @Test
  void shouldKeepTodaysBatchBehaviourByDefault() {
    SimulatorConfig config = SimulatorMain.parse(new String[0]);

    assertThat(config.batches()).isEqualTo(BatchSettings.DEFAULT);
    assertThat(config.batches().hasProcessingSpread()).isFalse();
    assertThat(config.profile().batchLimits()).isEqualTo(BatchQueueLimits.NONE);
  }

  @Test
  void shouldShipTheProvidersTier1BatchLimits() {
    BatchQueueLimits openai = Profiles.named("openai-tier1").batchLimits();
    BatchQueueLimits tier1 = Profiles.named("tier1").batchLimits();

    assertThat(openai.enqueuedTokensFor("gpt-4o")).isEqualTo(90_000);
    assertThat(openai.enqueuedTokensFor("gpt-4o-mini")).isEqualTo(2_000_000);
    assertThat(openai.batchCreationsPerHour()).isEqualTo(2_000);
    assertThat(openai.queuedRequests()).isEqualTo(BatchQueueLimits.UNLIMITED);
    assertThat(Profiles.named("anthropic-tier1").batchLimits().queuedRequests()).isEqualTo(100_000);
    assertThat(tier1.enqueuedTokensFor("gpt-4o")).isEqualTo(90_000);
    assertThat(tier1.queuedRequests()).isEqualTo(100_000);
    assertThat(Profiles.named("unlimited").batchLimits()).isEqualTo(BatchQueueLimits.NONE);
    assertThat(Profiles.named("large").batchLimits().enqueuedTokensFor("gpt-4o"))
        .isEqualTo(200_000_000);
  }

  @Test
  void shouldDefaultToPort8089AndTheUnlimitedProfile() {
    SimulatorConfig config = SimulatorMain.parse(new String[0]);

    assertThat(config.port()).isEqualTo(SimulatorMain.DEFAULT_PORT);
    assertThat(config.profile().name()).isEqualTo("unlimited");
  }

  @Test
  void shouldRejectAnUnknownProfileByName() {
    assertThatThrownBy(() -> SimulatorMain.parse(new String[] {"--profile", "tier9"}))
        .hasMessageContaining("tier9")
        .hasMessageContaining("openai-tier1");
  }

  @Test
  void shouldShipTheDocumentedProfiles() {
    assertThat(Profiles.names()).contains("unlimited", "openai-tier1", "anthropic-tier1", "large");
    assertThat(Profiles.named("openai-tier1").limitsFor("gpt-4o-mini"))
        .isEqualTo(ModelLimits.openai(500, 200_000));
    assertThat(Profiles.named("anthropic-tier1").limitsFor("claude-haiku-4-5"))
        .isEqualTo(ModelLimits.anthropic(50, 50_000, 10_000));
    assertThat(Profiles.named("large").limitsFor("gpt-4o").requestsPerMinute()).isEqualTo(10_000);
    assertThat(Profiles.named("large").limitsFor("gpt-4o").tokensPerMinute()).isEqualTo(2_000_000);
  }
}
