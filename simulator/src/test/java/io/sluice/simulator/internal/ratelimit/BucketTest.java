package io.sluice.simulator.internal.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class BucketTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void shouldRefillContinuouslyAtTheLimitPerMinute() {
    Bucket bucket = Bucket.full(60, T0).take(60);

    assertThat(bucket.refill(T0.plusMillis(999)).available()).isZero();
    assertThat(bucket.refill(T0.plusSeconds(1)).available()).isEqualTo(1);
    assertThat(bucket.refill(T0.plusSeconds(30)).available()).isEqualTo(30);
    assertThat(bucket.refill(T0.plus(Duration.ofHours(5))).available()).isEqualTo(60);
  }

  @Test
  void shouldRefillAsMuchWhenAskedEveryFewMicrosecondsAsWhenAskedOnce() {
    // the simulator refills on every admission, every response's headers and every settlement;
    // a continuously refilling bucket (PROVIDERS.md) must not lose the parts of microseconds
    Bucket often = Bucket.full(6_000, T0).take(6_000);
    Instant now = T0;
    for (int i = 0; i < 40_000; i++) {
      now = now.plusNanos(1_500);
      often = often.refill(now);
    }
    Bucket once = Bucket.full(6_000, T0).take(6_000).refill(now);

    assertThat(now).isEqualTo(T0.plusMillis(60));
    assertThat(often.available()).isEqualTo(6).isEqualTo(once.available());
    assertThat(often.waitFor(7)).isEqualTo(once.waitFor(7)).isEqualTo(Duration.ofMillis(10));
  }

  @Test
  void shouldSayHowLongUntilAnAmountIsAvailable() {
    Bucket bucket = Bucket.full(3, T0).take(3);

    assertThat(bucket.waitFor(1)).isEqualTo(Duration.ofSeconds(20));
    assertThat(bucket.untilFull()).isEqualTo(Duration.ofMinutes(1));
    assertThat(Bucket.full(3, T0).waitFor(2)).isZero();
  }

  @Test
  void shouldNeverHoldMoreThanItsCapacity() {
    Bucket bucket = Bucket.full(10, T0).take(2).giveBack(5);

    assertThat(bucket.available()).isEqualTo(10);
    assertThat(bucket.untilFull()).isZero();
  }

  @Test
  void shouldIgnoreAClockThatGoesBack() {
    Bucket bucket = Bucket.full(10, T0).take(10);

    assertThat(bucket.refill(T0.minusSeconds(30)).available()).isZero();
  }
}
