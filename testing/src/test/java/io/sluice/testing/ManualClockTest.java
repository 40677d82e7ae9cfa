package io.sluice.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ManualClockTest {
  @Test
  void movesOnlyWhenTold() {
    ManualClock clock = new ManualClock();

    assertThat(clock.instant()).isEqualTo(ManualClock.START);
    assertThat(clock.advance(Duration.ofSeconds(90)).advanceMillis(5).millis())
        .isEqualTo(ManualClock.START.toEpochMilli() + 90_005);
    Instant later = Instant.parse("2026-06-01T12:00:00Z");
    assertThat(clock.set(later).instant()).isEqualTo(later);
    assertThat(clock.withZone(java.time.ZoneId.of("Europe/Paris")).instant()).isEqualTo(later);
  }
}
