package io.sluice.simulator.internal.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GoDurationTest {
  @Test
  void shouldWriteDurationsTheWayOpenAiHeadersDo() {
    assertThat(GoDuration.format(Duration.ZERO)).isEqualTo("0s");
    assertThat(GoDuration.format(Duration.ofMillis(12))).isEqualTo("12ms");
    assertThat(GoDuration.format(Duration.ofNanos(11_200_000))).isEqualTo("12ms");
    assertThat(GoDuration.format(Duration.ofSeconds(1))).isEqualTo("1s");
    assertThat(GoDuration.format(Duration.ofMillis(1500))).isEqualTo("1.5s");
    assertThat(GoDuration.format(Duration.ofMinutes(6))).isEqualTo("6m0s");
    assertThat(GoDuration.format(Duration.ofMillis(90_250))).isEqualTo("1m30.25s");
    assertThat(GoDuration.format(Duration.ofSeconds(3723))).isEqualTo("1h2m3s");
  }
}
