package io.sluice.bench.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.simulator.Enforcement;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class ScenarioTest {
  private final Map<String, Scenario> byName =
      Scenario.all(Duration.ofMinutes(5)).stream()
          .collect(Collectors.toMap(Scenario::name, s -> s));

  @Test
  void shouldOfferEveryEnforcementVariantOnBothTierOneProfilesWithTheBaseline() {
    assertThat(Scenario.variantNames()).hasSize(2 * Scenario.VARIANTS.size());
    for (String suffix : Scenario.VARIANTS.keySet()) {
      for (String base : new String[] {"openai-tier1", "anthropic-tier1"}) {
        Scenario scenario = byName.get(base + "-" + suffix);
        assertThat(scenario).as(base + "-" + suffix).isNotNull();
        assertThat(scenario.profile()).isEqualTo(base);
        assertThat(scenario.withBaseline()).isTrue();
        assertThat(scenario.limits()).isEqualTo(byName.get(base).limits());
      }
    }
  }

  @Test
  void shouldGiveEachVariantItsEnforcement() {
    assertThat(byName.get("openai-tier1-short-window").enforcement())
        .isEqualTo(Enforcement.EXACT.withWindow(Duration.ofSeconds(10)));
    assertThat(byName.get("anthropic-tier1-other-client-30").otherClientShare()).isEqualTo(0.3);
    assertThat(byName.get("anthropic-tier1-long-outputs").enforcement().drawsOutputLengths())
        .isTrue();
    assertThat(byName.get("openai-tier1-latency-spread").latencySigma()).isEqualTo(1.0);
    assertThat(byName.get("openai-tier1").enforcement()).isEqualTo(Enforcement.EXACT);
    assertThat(byName.get("openai-tier1-kill").latencySigma()).isZero();
  }
}
