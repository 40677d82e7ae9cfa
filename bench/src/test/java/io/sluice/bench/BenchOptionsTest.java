package io.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class BenchOptionsTest {

  @Test
  void shouldRunEveryScenarioForFiveMinutesByDefault() {
    BenchOptions options = BenchOptions.parse(new String[0]);
    assertThat(options.duration()).isEqualTo(Duration.ofMinutes(5));
    assertThat(options.scenarios()).containsExactlyElementsOf(BenchOptions.DEFAULT_SCENARIOS);
    assertThat(options.workers()).isEqualTo(3);
  }

  @Test
  void shouldRunOneMinuteOfOneProfileForASmokeRun() {
    BenchOptions options = BenchOptions.parse(new String[] {"--smoke"});
    assertThat(options.duration()).isEqualTo(Duration.ofSeconds(60));
    assertThat(options.scenarios()).containsExactly("openai-tier1");
  }

  @Test
  void shouldReadDurationsInSecondsMinutesOrIso() {
    assertThat(BenchOptions.duration("90s")).isEqualTo(Duration.ofSeconds(90));
    assertThat(BenchOptions.duration("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(BenchOptions.duration("PT2M")).isEqualTo(Duration.ofMinutes(2));
    assertThat(BenchOptions.duration("120")).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void shouldRefuseAnUnknownScenarioNamingIt() {
    assertThatThrownBy(() -> BenchOptions.parse(new String[] {"--scenarios", "nope"}))
        .hasMessageContaining("unknown scenario nope");
  }
}
