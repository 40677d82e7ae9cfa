package io.sluice.bench.intake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class IntakeOptionsTest {

  @Test
  void shouldChangeOneSettingAndKeepTheRest() {
    IntakeOptions options =
        IntakeOptions.DEFAULT
            .withRates("300, 6000")
            .withDrain(Duration.ofMinutes(10))
            .withInstrumentation("off")
            .withProfile("tier1");

    assertThat(options.rates()).containsExactly(300, 6000);
    assertThat(options.drain()).isEqualTo(Duration.ofMinutes(10));
    assertThat(options.drains()).isTrue();
    assertThat(options.instrumentation()).isEqualTo(Instrumentation.OFF);
    assertThat(options.profile()).isEqualTo("tier1");
    assertThat(IntakeOptions.DEFAULT.profile()).isEqualTo("unlimited");
    assertThat(options.stepDuration()).isEqualTo(IntakeOptions.DEFAULT.stepDuration());
    assertThat(options.maxConnections()).isEqualTo(IntakeOptions.DEFAULT.maxConnections());
    assertThat(IntakeOptions.DEFAULT.drains()).isFalse();
  }

  @Test
  void shouldRefuseANegativeDrainOrNoRates() {
    assertThatThrownBy(() -> IntakeOptions.DEFAULT.withDrain(Duration.ofSeconds(-1)))
        .hasMessageContaining("--drain");
    assertThatThrownBy(() -> IntakeOptions.DEFAULT.withRates("0")).hasMessageContaining("--rates");
    assertThat(IntakeOptions.DEFAULT.rates())
        .isEqualTo(List.of(250, 500, 1000, 1500, 2000, 2500, 3000));
  }
}
