package io.sluice.simulator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** Variant (e): a log-normal spread around the configured latency, seeded. */
class LatencySpreadTest {
  private static final LatencySettings SPREAD =
      new LatencySettings(Duration.ofMillis(100), Duration.ZERO).withSpread(1.0);

  @Test
  void shouldKeepTheMedianAndGrowAHeavyTail() {
    long[] millis = new long[10_000];
    for (int i = 0; i < millis.length; i++) {
      millis[i] = SPREAD.forCall(0, i).toMillis();
    }
    Arrays.sort(millis);

    assertThat(millis[5_000]).isBetween(95L, 105L);
    assertThat(millis[9_900]).isBetween(800L, 1_200L); // exp(2.33) ≈ 10×
    assertThat(millis[100]).isBetween(8L, 12L);
  }

  @Test
  void shouldDrawTheSameDelayForTheSameCallAndSeed() {
    assertThat(SPREAD.forCall(0, 12345)).isEqualTo(SPREAD.forCall(0, 12345));
    assertThat(SPREAD.withSeed(1).forCall(0, 12345)).isNotEqualTo(SPREAD.forCall(0, 12345));
    assertThat(LatencySettings.DEFAULT.forCall(10, 12345))
        .isEqualTo(LatencySettings.DEFAULT.forOutputTokens(10));
  }

  @Test
  void shouldRejectASpreadOutsideZeroToThree() {
    assertThatThrownBy(() -> SPREAD.withSpread(-0.1)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> SPREAD.withSpread(3.5)).isInstanceOf(IllegalArgumentException.class);
  }
}
