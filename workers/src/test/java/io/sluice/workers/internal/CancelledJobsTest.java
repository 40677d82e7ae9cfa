package io.sluice.workers.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CancelledJobsTest {
  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private final ManualClock clock = new ManualClock(NOW);
  private final CancelledJobs cancelled = new CancelledJobs(Duration.ofHours(1), 3, clock);

  @Test
  void shouldRememberACancelUntilItsMemoryRunsOut() {
    cancelled.add("job-1", NOW);
    cancelled.add("job-1", NOW);

    assertThat(cancelled.contains("job-1")).isTrue();
    assertThat(cancelled.contains("job-2")).isFalse();
    assertThat(cancelled.size()).isOne();
    clock.advance(Duration.ofMinutes(59));
    assertThat(cancelled.contains("job-1")).isTrue();
    clock.advance(Duration.ofMinutes(1));
    assertThat(cancelled.contains("job-1")).isFalse();
  }

  @Test
  void shouldForgetTheOldestWhenFullAndIgnoreACancelAlreadyTooOld() {
    for (int i = 1; i <= 4; i++) {
      cancelled.add("job-" + i, NOW);
    }
    cancelled.add("job-old", NOW.minus(Duration.ofHours(2)));

    assertThat(cancelled.contains("job-1")).isFalse();
    assertThat(cancelled.contains("job-4")).isTrue();
    assertThat(cancelled.contains("job-old")).isFalse();
    assertThat(cancelled.size()).isEqualTo(3);
  }

  @Test
  void shouldTakeACancelWithoutARequestTimeAsAskedNow() {
    cancelled.add("job-1", null);

    assertThat(cancelled.contains("job-1")).isTrue();
  }
}
