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
