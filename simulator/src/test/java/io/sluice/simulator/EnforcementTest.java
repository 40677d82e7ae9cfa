package io.sluice.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class EnforcementTest {

  @Test
  void shouldDivideTheMinutesLimitByTheWindowRoundingUpToAtLeastOne() {
    Enforcement tenSeconds = Enforcement.EXACT.withWindow(Duration.ofSeconds(10));
    Enforcement oneSecond = Enforcement.EXACT.withWindow(Duration.ofSeconds(1));

    assertThat(tenSeconds.windowCapacity(200_000)).isEqualTo(33_334);
    assertThat(oneSecond.windowCapacity(50)).isEqualTo(1);
    assertThat(Enforcement.EXACT.windowCapacity(50)).isEqualTo(50);
  }

  @Test
  void shouldKeepEveryOtherSettingWhenOneIsChanged() {
    Enforcement all =
        Enforcement.EXACT
            .withProviderCounting()
            .withWindow(Duration.ofSeconds(10))
            .withFixedWindow()
            .withRefusedCallsCharged()
            .withOutputLengths(0.3, 1.2)
            .withOtherClient(0.3)
            .withSeed(7);

    assertThat(all)
        .isEqualTo(
            new Enforcement(
                true, 0.10, 0.30, Duration.ofSeconds(10), true, true, 0.3, 1.2, 0.3, 7));
    assertThat(Profiles.named("openai-tier1").enforcement()).isEqualTo(Enforcement.EXACT);
  }

  @Test
  void shouldReadAListOfVariantsAsTheCommandLineAndTheBenchmarkWriteThem() {
    assertThat(Enforcement.parse("")).isEqualTo(Enforcement.EXACT);
    assertThat(Enforcement.parse("window=10s, other-client=0.3"))
        .isEqualTo(Enforcement.EXACT.withWindow(Duration.ofSeconds(10)).withOtherClient(0.3));
    assertThat(Enforcement.parse("provider-counting,fixed-window,charge-refused,seed=3"))
        .isEqualTo(
            Enforcement.EXACT
                .withProviderCounting()
                .withFixedWindow()
                .withRefusedCallsCharged()
                .withSeed(3));
    assertThat(Enforcement.parse("claude-tokenizer=0.2-0.4,output-share=0.3-1.2"))
        .isEqualTo(Enforcement.EXACT.withClaudeTokenizer(0.2, 0.4).withOutputLengths(0.3, 1.2));
    assertThatThrownBy(() -> Enforcement.parse("window=fast"))
        .hasMessageContaining("'window=fast'");
    assertThatThrownBy(() -> Enforcement.parse("shorter")).hasMessageContaining("unknown");
  }

  @Test
  void shouldRejectSettingsNoProviderCouldHave() {
    assertThatThrownBy(() -> Enforcement.EXACT.withWindow(Duration.ofSeconds(7)))
        .hasMessageContaining("divide a minute");
    assertThatThrownBy(() -> Enforcement.EXACT.withWindow(Duration.ofMillis(500)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Enforcement.EXACT.withOtherClient(1.0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Enforcement.EXACT.withOutputLengths(0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Enforcement.EXACT.withClaudeTokenizer(0.3, 0.1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
