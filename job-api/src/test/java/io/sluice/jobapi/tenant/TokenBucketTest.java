package io.sluice.jobapi.tenant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class TokenBucketTest {
  private static final RequestLimit FIVE_PER_SECOND_BURST_THREE = new RequestLimit(5, 3);

  private final ManualClock clock = new ManualClock();

  @Test
  void shouldPassTheWholeBurstAtOnceAndRefuseTheNext() {
    TokenBucket bucket = TokenBucket.full(FIVE_PER_SECOND_BURST_THREE, clock.instant());

    int granted = 0;
    TokenBucket.Take take;
    while ((take = bucket.take(FIVE_PER_SECOND_BURST_THREE, clock.instant())).granted()) {
      granted++;
      bucket = take.next();
    }

    assertThat(granted).isEqualTo(3);
    assertThat(take.retryAfter()).isEqualTo(Duration.ofMillis(200));
    assertThat(take.retryAfterSeconds()).isEqualTo(1);
  }

  @Test
  void shouldRefillAtTheRateAndNeverBeyondTheBurst() {
    TokenBucket empty = drained(FIVE_PER_SECOND_BURST_THREE);

    clock.advance(Duration.ofMillis(199));
    assertThat(empty.take(FIVE_PER_SECOND_BURST_THREE, clock.instant()).granted()).isFalse();
    clock.advance(Duration.ofMillis(1));
    assertThat(empty.take(FIVE_PER_SECOND_BURST_THREE, clock.instant()).granted()).isTrue();

    clock.advance(Duration.ofHours(1));
    TokenBucket.Take afterAnHour = empty.take(FIVE_PER_SECOND_BURST_THREE, clock.instant());
    assertThat(afterAnHour.next().tokens()).isEqualTo(2.0);
  }

  @Test
  void shouldPassTheRateOverTimeAndNoMore() {
    RequestLimit limit = new RequestLimit(10, 1);
    TokenBucket bucket = TokenBucket.full(limit, clock.instant());
    int granted = 0;
    for (int millis = 0; millis < 10_000; millis++) {
      TokenBucket.Take take = bucket.take(limit, clock.instant());
      bucket = take.next();
      granted += take.granted() ? 1 : 0;
      clock.advanceMillis(1);
    }

    assertThat(granted).isBetween(100, 101);
  }

  @Test
  void shouldRoundRetryAfterUpToWholeSeconds() {
    RequestLimit slow = new RequestLimit(0.4, 1);
    TokenBucket empty = drained(slow);

    TokenBucket.Take take = empty.take(slow, clock.instant());

    assertThat(take.retryAfter()).isEqualTo(Duration.ofMillis(2500));
    assertThat(take.retryAfterSeconds()).isEqualTo(3);
  }

  @Test
  void shouldApplyALoweredLimitToTheTokensAlreadyThere() {
    TokenBucket full = TokenBucket.full(new RequestLimit(100, 100), clock.instant());
    RequestLimit lowered = new RequestLimit(1, 2);

    TokenBucket.Take first = full.take(lowered, clock.instant());
    TokenBucket.Take second = first.next().take(lowered, clock.instant());
    TokenBucket.Take third = second.next().take(lowered, clock.instant());

    assertThat(first.granted()).isTrue();
    assertThat(second.granted()).isTrue();
    assertThat(third.granted()).isFalse();
  }

  @Test
  void shouldAddNoTokensWhenTheClockGoesBack() {
    TokenBucket empty = drained(FIVE_PER_SECOND_BURST_THREE);

    clock.set(clock.instant().minus(Duration.ofMinutes(5)));

    assertThat(empty.take(FIVE_PER_SECOND_BURST_THREE, clock.instant()).granted()).isFalse();
  }

  @Test
  void shouldRefuseALimitWithoutRateOrBurst() {
    assertThatThrownBy(() -> new RequestLimit(0, 1)).hasMessageContaining("requests per second");
    assertThatThrownBy(() -> new RequestLimit(Double.NaN, 1))
        .hasMessageContaining("requests per second");
    assertThatThrownBy(() -> new RequestLimit(1, 0)).hasMessageContaining("burst");
    assertThat(RequestLimit.of(2.5)).isEqualTo(new RequestLimit(2.5, 3));
  }

  private TokenBucket drained(RequestLimit limit) {
    Instant now = clock.instant();
    TokenBucket bucket = TokenBucket.full(limit, now);
    for (int i = 0; i < limit.burst(); i++) {
      bucket = bucket.take(limit, now).next();
    }
    return bucket;
  }
}
