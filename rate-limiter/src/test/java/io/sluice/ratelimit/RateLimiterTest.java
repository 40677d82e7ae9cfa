package io.sluice.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.schemas.job.TokenUsage;
import io.sluice.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RateLimiterTest {
  private static final LimitKey KEY = new LimitKey("anthropic", "default", "claude-sonnet-4-5");
  private static final RateLimits LIMITS = RateLimits.anthropic(60, 30_000, 8_000);
  private static final Demand CALL = Demand.ofCall(100, 100);

  /** A provider that counts every call at the instant of its admission (no call delay). */
  private static final LimiterSettings SETTINGS =
      LimiterSettings.defaults().withCallDelay(Duration.ZERO);

  private final ManualClock clock = new ManualClock();
  private final InMemoryLimitStore shared = new InMemoryLimitStore();

  private RateLimiter limiter(String instanceId, LimitStore store) {
    return RateLimiter.builder()
        .store(store)
        .clock(clock)
        .instanceId(instanceId)
        .limits(KEY, LIMITS)
        .settings(SETTINGS)
        .build();
  }

  private static Reservation granted(Admission admission) {
    assertThat(admission).isInstanceOf(Admission.Granted.class);
    return ((Admission.Granted) admission).reservation();
  }

  private static int drain(RateLimiter limiter) {
    int admitted = 0;
    while (limiter.tryReserve(KEY, CALL).isGranted()) {
      admitted++;
    }
    return admitted;
  }

  /** Makes every limiter see the others twice, so that each records its fallback share. */
  private static void meet(RateLimiter... limiters) {
    for (int round = 0; round < 2; round++) {
      for (RateLimiter limiter : limiters) {
        limiter.heartbeat();
      }
    }
  }

  @Test
  void shouldGiveBackUnusedOutputTokensAfterTheCall() {
    RateLimiter limiter = limiter("a", shared);
    Reservation reservation = granted(limiter.tryReserve(KEY, Demand.ofCall(1_000, 8_000)));
    Instant blocked = limiter.earliestAdmission(KEY, Demand.ofCall(1_000, 4_000));

    limiter.reconcile(reservation, new TokenUsage(900, 3_000));

    assertThat(blocked).isAfter(clock.instant());
    assertThat(limiter.earliestAdmission(KEY, Demand.ofCall(1_000, 4_000)))
        .isEqualTo(clock.instant());
  }

  @Test
  void shouldGiveEverythingBackWhenTheCallWasNeverMade() {
    RateLimiter limiter = limiter("a", shared);
    Reservation reservation = granted(limiter.tryReserve(KEY, Demand.ofCall(1_000, 8_000)));

    limiter.release(reservation);

    assertThat(limiter.tryReserve(KEY, Demand.ofCall(1_000, 8_000)).isGranted()).isTrue();
  }

  @Test
  void shouldKeepTheChargeWhenTheUsageIsUnknown() {
    RateLimiter limiter = limiter("a", shared);
    Reservation reservation = granted(limiter.tryReserve(KEY, Demand.ofCall(1_000, 8_000)));

    limiter.keepCharged(reservation);

    assertThat(limiter.tryReserve(KEY, Demand.ofCall(1_000, 1)).isGranted()).isFalse();
  }

  @Test
  void shouldRefuseAKeyWithoutConfiguredLimits() {
    RateLimiter limiter = limiter("a", shared);

    assertThatThrownBy(() -> limiter.tryReserve(new LimitKey("openai", "x", "y"), CALL))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("openai/x/y");
  }

  @Test
  void shouldShareOneLimitBetweenInstancesAndGiveItAllToOneAlone() {
    RateLimiter a = limiter("a", shared);
    RateLimiter b = limiter("b", shared);

    int byA = drain(a);
    int byB = drain(b);
    clock.advance(Duration.ofMinutes(1));
    int byBAlone = drain(b);

    assertThat(byA + byB).isEqualTo(60);
    assertThat(byBAlone).isEqualTo(60);
  }

  @Test
  void shouldSlowDownWhenAnotherClientUsesTheSameAccount() {
    RateLimiter limiter = limiter("a", shared);

    limiter.calibrate(
        KEY, ProviderRateLimitReport.builder().inputTokens(30_000L, 5_000L, null).build());

    // asked, not reserved: a deferred 6,000 would take its place in the queue and hold back the
    // 4,000 (FairnessProperties)
    assertThat(limiter.earliestAdmission(KEY, Demand.ofCall(6_000, 10))).isAfter(clock.instant());
    assertThat(limiter.tryReserve(KEY, Demand.ofCall(4_000, 10)).isGranted()).isTrue();
  }

  @Test
  void shouldHoldBackASmallerDemandOfAnotherInstanceForTheOldestDeferredOne() {
    RateLimiter a = limiter("a", shared);
    RateLimiter b = limiter("b", shared);
    meet(a, b);
    a.calibrate(KEY, ProviderRateLimitReport.builder().inputTokens(30_000L, 5_000L, null).build());

    assertThat(a.tryReserve(KEY, Demand.ofCall(6_000, 10))).isInstanceOf(Admission.Deferred.class);

    assertThat(b.tryReserve(KEY, Demand.ofCall(4_000, 10))).isInstanceOf(Admission.Deferred.class);
    Admission.Deferred smallWaits =
        (Admission.Deferred) b.tryReserve(KEY, Demand.ofCall(4_000, 10));
    Instant largeGoes = a.earliestAdmission(KEY, Demand.ofCall(6_000, 10));
    clock.advance(Duration.between(clock.instant(), largeGoes));
    assertThat(b.tryReserve(KEY, Demand.ofCall(4_000, 10)).isGranted()).isFalse();
    assertThat(a.tryReserve(KEY, Demand.ofCall(6_000, 10)).isGranted()).isTrue();
    assertThat(smallWaits.notBefore()).isAfter(largeGoes);
  }

  @Test
  void shouldPauseEveryInstanceUntilTheRetryHintOfA429() {
    RateLimiter a = limiter("a", shared);
    RateLimiter b = limiter("b", shared);

    meet(a, b);
    a.rateLimited(KEY, Duration.ofSeconds(5), ProviderRateLimitReport.NONE);

    assertThat(b.tryReserve(KEY, CALL))
        .isEqualTo(new Admission.Deferred(clock.instant().plusSeconds(5), "paused", true));
    clock.advance(Duration.ofSeconds(5));
    a.heartbeat();
    assertThat(b.tryReserve(KEY, CALL).isGranted()).isTrue();
  }

  @Test
  void shouldLowerTheRateOfEveryInstanceAfterA429OfOne() {
    RateLimiter a = limiter("a", shared);
    RateLimiter b = limiter("b", shared);
    meet(a, b);
    drain(b);

    a.rateLimited(KEY, Duration.ZERO, ProviderRateLimitReport.NONE);
    for (int second = 0; second < 10; second += 2) {
      clock.advance(Duration.ofSeconds(2));
      meet(a, b);
    }

    // 10 s refill 10 calls at the full rate; at 0.8 recovering 1% a second, 9 (less rounding)
    assertThat(drain(b)).isBetween(8, 9);
  }

  @Test
  void shouldAdmitNothingWhenTheStoreWasNeverReached() {
    SwitchableStore store = new SwitchableStore(shared);
    store.down();
    RateLimiter limiter = limiter("a", store);

    clock.advance(Duration.ofSeconds(5));
    Admission admission = limiter.tryReserve(KEY, CALL);

    assertThat(admission).isInstanceOf(Admission.Deferred.class);
    assertThat(((Admission.Deferred) admission).blockedBy()).isEqualTo("store-unavailable");
  }

  @Test
  void shouldWaitUntilTheOthersHoldItsShareBackBeforeAdmittingLocally() {
    SwitchableStore store = new SwitchableStore(shared);
    RateLimiter limiter = limiter("a", store);
    limiter.heartbeat();
    store.down();

    Admission atOnce = limiter.tryReserve(KEY, CALL);
    clock.advance(Duration.ofMillis(3_250));
    Admission beforeWindow = limiter.tryReserve(KEY, CALL);
    clock.advance(Duration.ofSeconds(1));
    Admission inWindow = limiter.tryReserve(KEY, CALL);

    assertThat(atOnce).isInstanceOf(Admission.Deferred.class);
    assertThat(beforeWindow).isInstanceOf(Admission.Deferred.class);
    assertThat(inWindow.isGranted()).isTrue();
    assertThat(granted(inWindow).source()).isEqualTo(Reservation.Source.LOCAL_FALLBACK);
    assertThat(limiter.inFallback(KEY)).isTrue();
  }

  @Test
  void shouldAdmitOnlyItsShareWhileTheStoreIsLostAndStopWhenTheWindowEnds() {
    SwitchableStore storeOfA = new SwitchableStore(shared);
    RateLimiter a = limiter("a", storeOfA);
    RateLimiter b = limiter("b", shared);
    RateLimiter c = limiter("c", shared);
    meet(a, b, c);
    storeOfA.down();

    int admitted = 0;
    for (int second = 0; second < 20; second++) {
      clock.advance(Duration.ofSeconds(1));
      admitted += drain(a);
    }

    // 1/3 of 60 per minute is one call every 3 s, from 3.25 s to 12.75 s after the last write.
    assertThat(admitted).isBetween(2, 3);
    assertThat(a.tryReserve(KEY, CALL)).isInstanceOf(Admission.Deferred.class);
  }

  @Test
  void shouldLetTheOthersHoldBackTheShareOfAnInstanceThatLostTheStore() {
    SwitchableStore storeOfA = new SwitchableStore(shared);
    RateLimiter a = limiter("a", storeOfA);
    RateLimiter b = limiter("b", shared);
    meet(a, b);
    drain(b);
    storeOfA.down();

    clock.advance(Duration.ofSeconds(4));
    drain(b);
    clock.advance(Duration.ofSeconds(6));
    int whileAIsStale = drain(b);
    clock.advance(Duration.ofSeconds(10));
    drain(b);
    clock.advance(Duration.ofSeconds(6));
    int afterAIsForgotten = drain(b);

    assertThat(whileAIsStale).isEqualTo(3);
    assertThat(afterAIsForgotten).isEqualTo(6);
  }

  @Test
  void shouldReturnToTheSharedLimitWhenTheStoreIsBack() {
    SwitchableStore store = new SwitchableStore(shared);
    RateLimiter limiter = limiter("a", store);
    limiter.heartbeat();
    store.down();
    assertThat(limiter.tryReserve(KEY, CALL)).isInstanceOf(Admission.Deferred.class);
    clock.advance(Duration.ofSeconds(5));
    Reservation local = granted(limiter.tryReserve(KEY, CALL));

    store.up();
    clock.advance(Duration.ofSeconds(1));
    Reservation back = granted(limiter.tryReserve(KEY, CALL));
    limiter.reconcile(local, new TokenUsage(50, 50));

    assertThat(back.source()).isEqualTo(Reservation.Source.SHARED);
    assertThat(limiter.inFallback(KEY)).isFalse();
    assertThat(shared.read(KEY).members().get("a").inFlight()).isEqualTo(1);
  }

  @Test
  void shouldHoldBackWhatItsLocalShareMayHaveSpentWhenAnInstanceComesBack() {
    SwitchableStore store = new SwitchableStore(shared);
    RateLimiter limiter = limiter("a", store);
    limiter.heartbeat();
    store.down();
    limiter.heartbeat();
    clock.advance(Duration.ofSeconds(5));
    int local = drain(limiter);
    store.up();
    clock.advance(Duration.ofSeconds(1));

    int shared = drain(limiter);

    // Its local bucket (all of 60/min, from 3.25 s) could have held 10 s of refill: 10 calls.
    assertThat(local).isEqualTo(1);
    assertThat(shared).isEqualTo(50);
  }

  @Test
  void shouldCountCallsAdmittedInFallbackAgainstTheSharedConcurrencyCap() {
    RateLimits capped = RateLimits.builder().requestsPerMinute(6_000).maxConcurrency(2).build();
    SwitchableStore store = new SwitchableStore(shared);
    RateLimiter a =
        RateLimiter.builder()
            .store(store)
            .clock(clock)
            .instanceId("a")
            .limits(KEY, capped)
            .settings(SETTINGS)
            .build();
    RateLimiter b =
        RateLimiter.builder()
            .store(shared)
            .clock(clock)
            .instanceId("b")
            .limits(KEY, capped)
            .settings(SETTINGS)
            .build();
    a.heartbeat();
    store.down();
    a.heartbeat();
    clock.advance(Duration.ofSeconds(4));
    granted(a.tryReserve(KEY, CALL));
    store.up();
    clock.advance(Duration.ofSeconds(1));
    a.heartbeat();

    List<Admission> byB = new ArrayList<>();
    for (int i = 0; i < 2; i++) {
      byB.add(b.tryReserve(KEY, CALL));
    }

    assertThat(byB.get(0).isGranted()).isTrue();
    assertThat(byB.get(1)).isInstanceOf(Admission.Deferred.class);
  }

  @Test
  void shouldKeepAnIdleInstanceFromLookingUnreachableWithHeartbeats() {
    RateLimiter idle = limiter("idle", shared);
    RateLimiter busy = limiter("busy", shared);
    meet(idle, busy);
    drain(busy);

    for (int second = 0; second < 10; second++) {
      clock.advance(Duration.ofSeconds(1));
      idle.heartbeat();
    }

    assertThat(drain(busy)).isEqualTo(10);
  }

  @Test
  void shouldGiveTheShareOfAClosedInstanceBackAtOnce() {
    RateLimiter leaving = limiter("leaving", shared);
    RateLimiter staying = limiter("staying", shared);
    meet(leaving, staying);
    drain(staying);

    leaving.close();
    clock.advance(Duration.ofSeconds(10));

    assertThat(drain(staying)).isEqualTo(10);
    assertThat(shared.read(KEY).members()).containsOnlyKeys("staying");
  }
}
