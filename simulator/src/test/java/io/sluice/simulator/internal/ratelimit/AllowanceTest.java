package io.sluice.simulator.internal.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.simulator.Enforcement;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The shapes of a limit the enforcement variants (b), (c), (d) and (g) give, on a set clock. */
class AllowanceTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Enforcement TEN_SECONDS =
      Enforcement.EXACT.withWindow(Duration.ofSeconds(10));

  @Test
  void shouldHoldAWindowsShareOfTheMinuteAndRefillAtTheMinutesRate() {
    Allowance bucket = Allowance.of(TEN_SECONDS, 60_000, T0);

    assertThat(bucket.capacity()).isEqualTo(10_000);
    assertThat(bucket.perMinute()).isEqualTo(60_000);
    assertThat(bucket.admits(10_001)).isTrue(); // larger than the window: admitted when full
    Allowance empty = bucket.take(10_000);
    assertThat(empty.admits(1)).isFalse();
    assertThat(empty.waitFor(1_000)).isEqualTo(Duration.ofSeconds(1));
    assertThat(empty.untilFull()).isEqualTo(Duration.ofSeconds(10));
    assertThat(empty.refill(T0.plusSeconds(4)).available()).isEqualTo(4_000);
    assertThat(empty.refill(T0.plusSeconds(60)).available()).isEqualTo(10_000);
  }

  @Test
  void shouldLeaveABurstLargerThanTheWindowInDebtUntilItIsRepaid() {
    Allowance bucket = Allowance.of(TEN_SECONDS, 60_000, T0).take(15_000);

    assertThat(bucket.available()).isZero();
    assertThat(bucket.waitFor(10_000)).isEqualTo(Duration.ofSeconds(15));
    assertThat(bucket.refill(T0.plusSeconds(15)).admits(20_000)).isTrue();
  }

  @Test
  void shouldCountAFixedWindowFromItsBoundaryAndResetItThere() {
    Instant late = T0.plusSeconds(45);
    Allowance window = Allowance.of(Enforcement.EXACT.withFixedWindow(), 100, late).take(100);

    assertThat(window).isInstanceOf(FixedWindow.class);
    assertThat(window.admits(1)).isFalse();
    assertThat(window.waitFor(1)).isEqualTo(Duration.ofSeconds(15));
    assertThat(window.untilFull()).isEqualTo(Duration.ofSeconds(15));
    assertThat(window.refill(T0.plusSeconds(59)).available()).isZero();
    assertThat(window.refill(T0.plusSeconds(60)).available()).isEqualTo(100);
  }

  @Test
  void shouldCarryAFixedWindowsDebtIntoTheNextWindows() {
    Allowance window =
        Allowance.of(Enforcement.EXACT.withFixedWindow(), 100, T0).take(100).drain(150);

    assertThat(window.refill(T0.plusSeconds(60)).available()).isZero();
    assertThat(window.refill(T0.plusSeconds(60)).waitFor(1)).isEqualTo(Duration.ofSeconds(60));
    assertThat(window.refill(T0.plusSeconds(120)).available()).isEqualTo(100);
  }

  @Test
  void shouldDrainRefusedAndForeignUseToAtMostOneWindowOfDebt() {
    Allowance bucket = Allowance.of(Enforcement.EXACT, 60, T0).drain(1_000);

    assertThat(bucket.available()).isZero();
    assertThat(bucket.untilFull()).isEqualTo(Duration.ofMinutes(2));
  }

  @Test
  void shouldLetAnotherClientUseItsShareOfTheRefillWhateverTheCallOrder() {
    OtherClient other = new OtherClient(0.3, 7, "tokens", 60_000, T0);
    Allowance drained = Allowance.of(Enforcement.EXACT, 60_000, T0).take(60_000);

    Allowance stepwise = drained;
    for (int second = 1; second <= 30; second++) {
      stepwise = other.advance(stepwise, T0.plusMillis(1_000L * second - 300));
    }
    stepwise = other.advance(stepwise, T0.plusSeconds(30));
    Allowance atOnce =
        new OtherClient(0.3, 7, "tokens", 60_000, T0).advance(drained, T0.plusSeconds(30));

    assertThat(stepwise.available()).isEqualTo(atOnce.available());
    assertThat(atOnce.available()).isBetween(30_000L - 30 * 450, 30_000L - 30 * 150);
  }

  @Test
  void shouldTellWhatTheOtherClientTookFromTheClockAlone() {
    Allowance drained = Allowance.of(Enforcement.EXACT, 60_000, T0).take(60_000);
    Instant end = T0.plusMillis(30_700);

    Allowance after = new OtherClient(0.3, 7, "tokens", 60_000, T0).advance(drained, end);
    double used = new OtherClient(0.3, 7, "tokens", 60_000, T0).use(T0, end);

    assertThat(used).isBetween(0.3 * 30_700 * 0.5, 0.3 * 30_700 * 1.5);
    assertThat(after.available()).isEqualTo(30_700 - (long) Math.floor(used));
    assertThat(
            Enforcement.EXACT
                .withOtherClient(0.3)
                .withSeed(7)
                .otherClientUse("tokens", 60_000, T0, end))
        .isEqualTo(used);
  }

  @Test
  void shouldVaryTheOtherClientsLoadAroundItsShare() {
    OtherClient other = new OtherClient(0.3, 7, "tokens", 60_000, T0);
    double sum = 0;
    for (long second = 0; second < 10_000; second++) {
      double factor = other.factor(second);
      assertThat(factor).isBetween(0.5, 1.5);
      sum += factor;
    }
    assertThat(sum / 10_000).isBetween(0.99, 1.01);
  }
}
