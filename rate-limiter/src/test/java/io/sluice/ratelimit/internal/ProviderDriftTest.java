package io.sluice.ratelimit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ratelimit.BucketLimit;
import io.sluice.ratelimit.LimitState.Drift;
import io.sluice.ratelimit.LimiterSettings.Adaptation;
import io.sluice.ratelimit.Meter;
import io.sluice.ratelimit.ProviderRateLimitReport.Observation;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class ProviderDriftTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final long NOW = Gcra.nanos(T0);
  private static final BucketLimit TPM =
      new BucketLimit(Meter.TOKENS, 60_000, Duration.ofMinutes(1));
  private static final Adaptation ADAPT = Adaptation.defaults();
  private static final long SECOND = 1_000_000_000L;

  @Test
  void shouldInferATenSecondWindowFromRemainingAndReset() {
    // 10 s window of a 60,000/min limit holds 10,000; 3,750 left, full again in 6.25 s
    long window =
        ProviderDrift.learnWindow(TPM, 0, 3_750L, T0.plusMillis(6_250), NOW, 1_200, 0, ADAPT);

    assertThat(window).isEqualTo(10 * SECOND);
  }

  @Test
  void shouldReadAResetGivenToTheWholeSecondFromTheMiddleOfTheSecondBeforeIt() {
    // Anthropic's reset 00:00:07Z for a bucket full again at some instant in (6 s, 7 s]: 6.5 s
    long window =
        ProviderDrift.learnWindow(TPM, 0, 3_500L, T0.plusSeconds(7), NOW, 1_200, 0, ADAPT);

    assertThat(window).isEqualTo(10 * SECOND);
  }

  @Test
  void shouldLearnNoWindowFromAMinuteBucket() {
    long window =
        ProviderDrift.learnWindow(TPM, 0, 24_000L, T0.plusSeconds(36), NOW, 1_200, 0, ADAPT);

    assertThat(window).isZero();
  }

  @Test
  void shouldBoundTheWindowFromAboveByAnExhaustedMeter() {
    // full again by 00:00:03Z, read as 2.5 s: the window holds at most 2,500 + the 500 that
    // rounding to thousands may hide of the remainder
    long window = ProviderDrift.learnWindow(TPM, 0, 0L, T0.plusSeconds(3), NOW, 1_200, 0, ADAPT);

    assertThat(window).isEqualTo(3 * SECOND);
  }

  @Test
  void shouldBoundTheWindowWithoutRoundingByAnOutputMeterACallExhausted() {
    // Anthropic's 8,000 output tokens a minute enforced per second hold 133; a call asking for 885
    // took all of them, so the 0 reported hides nothing and the window is at most the refill until
    // the reset, read at its latest (1 s): not the middle reading (0.5 s) + 500 tokens of rounding
    BucketLimit otpm = new BucketLimit(Meter.OUTPUT_TOKENS, 8_000, Duration.ofMinutes(1));

    long exhausted =
        ProviderDrift.learnWindow(otpm, 0, 0L, T0.plusSeconds(1), NOW, 500, 885, ADAPT);
    long unknown = ProviderDrift.learnWindow(otpm, 0, 0L, T0.plusSeconds(1), NOW, 500, 0, ADAPT);
    // a call asking for less than the refill may have left up to 500 that rounding hides
    long small = ProviderDrift.learnWindow(otpm, 0, 0L, T0.plusSeconds(1), NOW, 500, 100, ADAPT);

    assertThat(exhausted).isEqualTo(997_500_000L); // 133 tokens
    assertThat(unknown).isEqualTo(small).isEqualTo(4_245_000_000L); // 66 + 500 tokens
  }

  @Test
  void shouldBoundAWindowOfRequestsByNoLessThanOneRequestsRefill() {
    // 50 requests a minute enforced per second hold 0.83: an exhausted meter full again in 0.4 s
    // reads as 0 requests, yet the provider admits one request per window at least
    BucketLimit rpm = new BucketLimit(Meter.REQUESTS, 50, Duration.ofMinutes(1));

    long window = ProviderDrift.learnWindow(rpm, 0, 0L, T0.plusMillis(400), NOW, 1, 0, ADAPT);

    assertThat(window).isEqualTo(1_200_000_000L);
  }

  @Test
  void shouldKeepAShorterWindowWhenAnExhaustedMetersResetIncludesDebt() {
    // a 1 s window left 3 s in debt by a call larger than it: the bound (4.5 s) is above it
    long window =
        ProviderDrift.learnWindow(TPM, SECOND, 0L, T0.plusSeconds(4), NOW, 1_200, 0, ADAPT);

    assertThat(window).isEqualTo(SECOND);
  }

  @Test
  void shouldLearnNothingFromAnExhaustedMinuteBucket() {
    assertThat(ProviderDrift.learnWindow(TPM, 0, 0L, T0.plusSeconds(60), NOW, 1_200, 0, ADAPT))
        .isZero();
    assertThat(
            ProviderDrift.learnWindow(
                TPM, 10 * SECOND, 0L, T0.plusSeconds(75), NOW, 1_200, 0, ADAPT))
        .isEqualTo(10 * SECOND);
  }

  @Test
  void shouldSeeAFixedWindowEarlyInItsMinute() {
    // 10 s into a clock minute of a 60,000/min counter, 52,000 left until the boundary 50 s away:
    // 52,000 + 50,000 of refill promises more than a refilling bucket of 60,000 ever holds
    assertThat(fixed(60_000L, 52_000L, T0.plusSeconds(50))).isTrue();
  }

  @Test
  void shouldSeeNoFixedWindowInARefillingBucketAtAnyLevel() {
    for (long remaining = 1_000; remaining <= 60_000; remaining += 1_000) {
      long untilFull = (60_000 - remaining) * SECOND / 1_000;
      assertThat(fixed(60_000L, remaining, T0.plusNanos(untilFull))).as("%d", remaining).isFalse();
    }
  }

  @Test
  void shouldTakeNoEvidenceFromALimitOrARemainderAboveTheConfiguredOne() {
    // an account at a higher tier than configured: its bucket refills faster than assumed
    assertThat(fixed(600_000L, 52_000L, T0.plusSeconds(50))).isFalse();
    assertThat(fixed(null, 62_000L, T0.plusSeconds(50))).isFalse();
  }

  @Test
  void shouldLeaveAFixedWindowOnlyItsRemainderLessTheRefillBeforeItsReset() {
    // 20,000 left, reset in 15 s: the local view refills 15,000 by then, so it may hold 5,000
    assertThat(ProviderDrift.fixedWindowRemaining(TPM, 20_000, 15 * SECOND)).isEqualTo(5_000);
    // 5,000 left 15 s before the reset: 10,000 of the view's refill must go unspent
    assertThat(ProviderDrift.fixedWindowRemaining(TPM, 5_000, 15 * SECOND)).isEqualTo(-10_000);
  }

  @Test
  void shouldForgetAFixedWindowThreePeriodsAfterItWasLastSeen() {
    Drift drift = new Drift(0, 0, T0, T0, Instant.EPOCH, 0, false);

    assertThat(ProviderDrift.fixedWindow(TPM, drift, NOW + 180 * SECOND)).isTrue();
    assertThat(ProviderDrift.fixedWindow(TPM, drift, NOW + 181 * SECOND)).isFalse();
    assertThat(ProviderDrift.fixedWindow(TPM, Drift.NONE, NOW)).isFalse();
  }

  private static boolean fixed(Long limit, long remaining, Instant reset) {
    return ProviderDrift.showsFixedWindow(
        TPM, new Observation(limit, remaining, reset), NOW, ADAPT);
  }

  @Test
  void shouldKeepTheWindowWhenASampleMovesItALittle() {
    long window =
        ProviderDrift.learnWindow(
            TPM, 10 * SECOND, 4_500L, T0.plusSeconds(6), NOW, 1_200, 0, ADAPT);

    assertThat(window).isEqualTo(10 * SECOND);
  }

  @Test
  void shouldLearnNothingWhenAdaptationIsOff() {
    long window =
        ProviderDrift.learnWindow(
            TPM, 0, 4_000L, T0.plusSeconds(6), NOW, 1_200, 0, Adaptation.off());

    assertThat(window).isZero();
    assertThat(ProviderDrift.learnShare(TPM, 0, 5_000, Duration.ofMillis(100), Adaptation.off()))
        .isZero();
  }

  @Test
  void shouldHoldOnlyTheWindowsShareOfTheLimit() {
    assertThat(ProviderDrift.windowCapacity(TPM, 10 * SECOND)).isEqualTo(10_000);
    assertThat(ProviderDrift.available(TPM, 10 * SECOND, Long.MIN_VALUE, NOW)).isEqualTo(10_000);
    // full 4 s from now: 6 s of refill held
    assertThat(ProviderDrift.available(TPM, 10 * SECOND, NOW + 4 * SECOND, NOW)).isEqualTo(6_000);
  }

  @Test
  void shouldKeepWhatTheBucketHoldsWhenTheWindowShrinks() {
    long tat = NOW + 58 * SECOND;

    long moved = ProviderDrift.reframed(tat, NOW, 58 * SECOND, 8 * SECOND);

    assertThat(moved).isEqualTo(NOW + 8 * SECOND);
  }

  @Test
  void shouldGiveAFullSmallWindowNoMoreThanItsWorthInALargerOne() {
    long moved = ProviderDrift.reframed(Long.MIN_VALUE, NOW, 8 * SECOND, 58 * SECOND);

    assertThat(ProviderDrift.available(TPM, 60 * SECOND, moved, NOW)).isEqualTo(10_000);
  }

  @Test
  void shouldRaiseTheUnseenShareByTheCorrectionOverTheLearnTime() {
    // 1,000 tokens corrected 1 s after the last report: 1 s of a 1,000/s rate over 10 s
    double share = ProviderDrift.learnShare(TPM, 0, 1_000, Duration.ofSeconds(1), ADAPT);

    assertThat(share).isCloseTo(0.1, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void shouldLearnNoRateFromTheFirstCorrectionOfAColdKey() {
    double share =
        ProviderDrift.learnShare(TPM, 0, 30_000, Duration.between(Instant.EPOCH, T0), ADAPT);

    assertThat(share).isZero();
  }

  @Test
  void shouldCountNoCorrectionForMoreThanTheWholeRateSinceTheLastReport() {
    double share = ProviderDrift.learnShare(TPM, 0, 30_000, Duration.ofMillis(100), ADAPT);

    // at most 100 tokens (0.1 s of 1,000/s) count: 100 / (1,000 × 10)
    assertThat(share).isCloseTo(0.01, org.assertj.core.data.Offset.offset(1e-9));
  }

  @Test
  void shouldFadeTheUnseenShareWhenNothingRenewsIt() {
    Drift drift = new Drift(0, 0.3, T0);

    double later = ProviderDrift.unseenShare(drift, T0.plusSeconds(100), ADAPT);

    assertThat(later).isLessThan(0.3).isGreaterThan(0.2);
  }

  @Test
  void shouldWidenTheDeadbandForRemaindersRoundedToThousands() {
    BucketLimit otpm = new BucketLimit(Meter.OUTPUT_TOKENS, 8_000, Duration.ofMinutes(1));
    BucketLimit rpm = new BucketLimit(Meter.REQUESTS, 50_000, Duration.ofMinutes(1));

    assertThat(ProviderDrift.deadband(otpm, 3_000L, 0.02)).isEqualTo(500);
    assertThat(ProviderDrift.deadband(otpm, 3_100L, 0.02)).isEqualTo(160);
    assertThat(ProviderDrift.deadband(rpm, 3_000L, 0.02)).isEqualTo(1_000);
  }
}
