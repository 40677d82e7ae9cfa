package io.sluice.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.sluice.ratelimit.internal.Gcra;
import io.sluice.ratelimit.internal.ProviderDrift;
import io.sluice.schemas.job.TokenUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LimitCoreTest {
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final LimitKey KEY = new LimitKey("openai", "default", "gpt-4o-mini");

  /** A provider that counts every call at the instant of its admission (no call delay). */
  private static final LimiterSettings SETTINGS =
      LimiterSettings.defaults().withCallDelay(Duration.ZERO);

  private static final LimiterSettings DEFAULTS = LimiterSettings.defaults();

  private static final BucketLimit TOKENS_60K =
      RateLimits.builder().tokensPerMinute(60_000).build().buckets().getFirst();

  private LimitState state = LimitState.EMPTY;

  private static LimitCore core(RateLimits limits) {
    return new LimitCore(limits, SETTINGS);
  }

  private static Instant at(long millis) {
    return T0.plusMillis(millis);
  }

  private Admission reserve(LimitCore core, String instance, long atMillis, Demand demand) {
    Step<Admission> step =
        core.reserve(state, Caller.of(instance, at(atMillis)), KEY, "r" + atMillis, demand);
    state = step.next();
    return step.result();
  }

  private Admission reserve(LimitCore core, long atMillis, Demand demand) {
    return reserve(core, "a", atMillis, demand);
  }

  private Reservation granted(Admission admission) {
    assertThat(admission).isInstanceOf(Admission.Granted.class);
    return ((Admission.Granted) admission).reservation();
  }

  /** A state in which the provider's headers taught {@code bucketId} a window of {@code window}. */
  private static LimitState withWindow(String bucketId, Duration window) {
    return LimitState.EMPTY.withDrift(
        java.util.Map.of(bucketId, new LimitState.Drift(window.toNanos(), 0, T0)));
  }

  private long available(LimitCore core, Meter meter, long atMillis) {
    BucketLimit bucket = core.limits().shortestBucket(meter).orElseThrow();
    // what the bucket holds over the window the provider's headers taught, as admission sees it
    return ProviderDrift.available(
        bucket,
        ProviderDrift.windowNanos(bucket, state.drift(bucket.id())),
        state.tat(bucket.id()),
        Gcra.nanos(at(atMillis)));
  }

  @Test
  void shouldAdmitABurstUpToCapacityThenDefer() {
    LimitCore core = core(RateLimits.builder().requestsPerMinute(60).build());

    int admitted = 0;
    while (reserve(core, 0, Demand.ofCall(0, 0)).isGranted()) {
      admitted++;
    }

    assertThat(admitted).isEqualTo(60);
  }

  @Test
  void shouldAdmitACallLargerThanTheProvidersWindowOnceTheWindowIsFullAgain() {
    // 60,000 TPM enforced per second: the window holds 1,000 tokens; each call takes 3,000 and
    // leaves the provider's window 2,000 in debt, full again 3 s after the call
    LimitCore core = core(RateLimits.builder().tokensPerMinute(60_000).build());
    state = withWindow("TOKENS/60s", Duration.ofSeconds(1));
    granted(reserve(core, 0, Demand.ofCall(2_000, 1_000)));

    Admission early = reserve(core, 2_999, Demand.ofCall(2_000, 1_000));

    assertThat(early).isInstanceOf(Admission.Deferred.class);
    // not 5 s: the call waits for a full window, as the provider does, not for its own 3 s
    assertThat(((Admission.Deferred) early).notBefore()).isEqualTo(at(3_000));
    assertThat(reserve(core, 3_000, Demand.ofCall(2_000, 1_000)).isGranted()).isTrue();
  }

  /**
   * 60,000 TPM (1,000 a second) enforced over 10 s, as an OpenAI report shows it: 6,999 left and
   * full again in 3.001 s holds 10,000 when full. The window is exact to the millisecond, so its
   * margin is a tenth of it (the 2 s call delay would lose a fifth of every window-sized call).
   */
  @Test
  void shouldKeepATenthOfAWindowLearnedFromAnExactReportAsItsMargin() {
    LimitCore core = sixtyThousandTpm();

    state = core.calibrate(state, Caller.of("a", at(0)), tokens(6_999, 3_001)).next();

    LimitState.Drift drift = state.drift("TOKENS/60s");
    assertThat(drift.windowNanos()).isEqualTo(Duration.ofSeconds(10).toNanos());
    assertThat(drift.marginNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
  }

  /**
   * Anthropic gives resets to the whole second: the window read from one lies up to half a second
   * either way, and the margin takes that half second on top of the tenth.
   */
  @Test
  void shouldAddHalfASecondToTheMarginOfAWindowLearnedFromAWholeSecondReset() {
    LimitCore core = sixtyThousandTpm();

    state = core.calibrate(state, Caller.of("a", at(0)), tokens(7_000, 3_000)).next();

    // the reset is read as 2.5 s: 7,000 + 2,500 held when full
    LimitState.Drift drift = state.drift("TOKENS/60s");
    assertThat(drift.windowNanos()).isEqualTo(Duration.ofMillis(9_500).toNanos());
    assertThat(drift.marginNanos()).isEqualTo(Duration.ofMillis(950 + 500).toNanos());
  }

  /**
   * An exhausted meter only bounds the window from above (its refill until the reset, plus the 500
   * that a remainder rounded to thousands may hide), so the window it teaches is marked bounded.
   */
  @Test
  void shouldMarkAWindowLearnedFromAnExhaustedMeterAsBounded() {
    LimitCore core = sixtyThousandTpm();

    state = core.calibrate(state, Caller.of("a", at(0)), tokens(0, 2_001)).next();

    LimitState.Drift drift = state.drift("TOKENS/60s");
    assertThat(drift.windowNanos()).isEqualTo(Duration.ofMillis(2_501).toNanos());
    assertThat(drift.windowBounded()).isTrue();
    assertThat(drift.marginNanos()).isEqualTo(Duration.ofMillis(2_501).toNanos() / 10);
  }

  /**
   * Within a window known only not to be longer than 2.5 s, the provider's may hold less than any
   * call: a call of 100 tokens waits for the full window as a call of 3,000 does. Within a window
   * known exactly it goes as soon as it fits.
   */
  @Test
  void shouldMakeEveryCallWaitForAFullWindowWhereTheWindowIsOnlyBounded() {
    Instant small = firstInstantAfterACall(true, 100);

    // full at 2.4 s, and for the 0.25 s margin
    assertThat(small).isEqualTo(at(2_650));
    assertThat(firstInstantAfterACall(true, 3_000)).isEqualTo(small);
    // 2,500 − 250 − 2,400 fit beside the margin: 100 tokens wait until 0.25 s
    assertThat(firstInstantAfterACall(false, 100)).isEqualTo(at(250));
  }

  /** When a call may follow one of 2,400 tokens at 0, in a window of 2.5 s of 60,000 TPM. */
  private static Instant firstInstantAfterACall(boolean bounded, long tokens) {
    LimitCore core = sixtyThousandTpm();
    LimitState.Drift drift =
        new LimitState.Drift(
            Duration.ofMillis(2_500).toNanos(),
            0,
            T0,
            Instant.EPOCH,
            Instant.EPOCH,
            Duration.ofMillis(250).toNanos(),
            bounded);
    LimitState start = LimitState.EMPTY.withDrift(java.util.Map.of("TOKENS/60s", drift));
    LimitState after =
        core.reserve(start, Caller.of("a", at(0)), KEY, "first", Demand.ofCall(2_400, 0)).next();
    Admission next =
        core.reserve(after, Caller.of("a", at(0)), KEY, "next", Demand.ofCall(tokens, 0)).result();
    assertThat(next).isInstanceOf(Admission.Deferred.class);
    return ((Admission.Deferred) next).notBefore();
  }

  @Test
  void shouldDoubleTheMarginOfAKnownShortWindowAfterA429() {
    LimitCore core = sixtyThousandTpm();
    state = core.calibrate(state, Caller.of("a", at(0)), tenSecondWindowAt(0)).next();

    state = core.rateLimited(state, Caller.of("a", at(100)), null, tenSecondWindowAt(100));
    assertThat(state.drift("TOKENS/60s").marginNanos()).isEqualTo(Duration.ofSeconds(2).toNanos());

    // within the call delay of that 429, the next ones answer calls admitted before it
    state = core.rateLimited(state, Caller.of("a", at(1_000)), null, tenSecondWindowAt(1_000));
    assertThat(state.drift("TOKENS/60s").marginNanos()).isEqualTo(Duration.ofSeconds(2).toNanos());

    state = core.rateLimited(state, Caller.of("a", at(2_200)), null, tenSecondWindowAt(2_200));
    state = core.rateLimited(state, Caller.of("a", at(4_400)), null, tenSecondWindowAt(4_400));
    // at most half the window
    assertThat(state.drift("TOKENS/60s").marginNanos()).isEqualTo(Duration.ofSeconds(5).toNanos());
  }

  /** What a 10 s window of 60,000 TPM reports at {@code millis}: 6,999 left, full in 3.001 s. */
  private static ProviderRateLimitReport tenSecondWindowAt(long millis) {
    return tokens(6_999, millis + 3_001);
  }

  /** A core of 60,000 tokens a minute with the default settings (a 2 s call delay). */
  private static LimitCore sixtyThousandTpm() {
    return new LimitCore(RateLimits.builder().tokensPerMinute(60_000).build(), DEFAULTS);
  }

  /** A report of a 60,000 TPM tokens meter: {@code remaining} left, full at {@code resetMillis}. */
  private static ProviderRateLimitReport tokens(long remaining, long resetMillis) {
    return ProviderRateLimitReport.builder().tokens(60_000L, remaining, at(resetMillis)).build();
  }

  @Test
  void shouldTakeHalfOfABoundedWindowAsItsMarginAfterA429() {
    LimitCore core = sixtyThousandTpm();
    state = core.calibrate(state, Caller.of("a", at(0)), tokens(0, 2_001)).next();

    state = core.rateLimited(state, Caller.of("a", at(100)), null, tokens(0, 2_101));

    assertThat(state.drift("TOKENS/60s").marginNanos())
        .isEqualTo(Duration.ofMillis(2_501).toNanos() / 2);
  }

  /** The 429 that shows a short window answers a call admitted without knowing it. */
  @Test
  void shouldNotWidenTheMarginOfAWindowThatThe429ItselfTaught() {
    LimitCore core = sixtyThousandTpm();

    state = core.rateLimited(state, Caller.of("a", at(0)), null, tokens(6_999, 3_001));

    assertThat(state.drift("TOKENS/60s").marginNanos()).isEqualTo(Duration.ofSeconds(1).toNanos());
  }

  @Test
  void shouldKeepTheCallDelayAsTheMarginOfABucketEnforcedOverItsWholePeriod() {
    assertThat(DEFAULTS.marginNanos(TOKENS_60K, LimitState.Drift.NONE))
        .isEqualTo(Duration.ofSeconds(2).toNanos());
    assertThat(
            DEFAULTS.marginNanos(
                TOKENS_60K, LimitState.Drift.NONE.withMargin(Duration.ofSeconds(5).toNanos())))
        .isEqualTo(Duration.ofSeconds(2).toNanos());
  }

  @Test
  void shouldRefillContinuouslyAtTheLimitRate() {
    LimitCore core = core(RateLimits.builder().requestsPerMinute(60).build());
    for (int i = 0; i < 60; i++) {
      reserve(core, 0, Demand.ofCall(0, 0));
    }

    assertThat(reserve(core, 999, Demand.ofCall(0, 0)).isGranted()).isFalse();
    assertThat(reserve(core, 1000, Demand.ofCall(0, 0)).isGranted()).isTrue();
    assertThat(reserve(core, 1500, Demand.ofCall(0, 0)).isGranted()).isFalse();
    assertThat(reserve(core, 2000, Demand.ofCall(0, 0)).isGranted()).isTrue();
  }

  @Test
  void shouldSayTheEarliestInstantADeferredDemandFits() {
    LimitCore core = core(RateLimits.builder().tokensPerMinute(6_000).build());
    reserve(core, 0, Demand.ofCall(5_000, 0));

    Admission admission = reserve(core, 0, Demand.ofCall(3_000, 0));

    assertThat(admission).isEqualTo(new Admission.Deferred(at(20_000), "TOKENS/60s", true));
    assertThat(reserve(core, 19_999, Demand.ofCall(3_000, 0)).isGranted()).isFalse();
    assertThat(reserve(core, 20_000, Demand.ofCall(3_000, 0)).isGranted()).isTrue();
  }

  @Test
  void shouldNameTheBucketThatBlocksLongest() {
    LimitCore core =
        core(RateLimits.builder().requestsPerMinute(60).tokensPerMinute(1_000).build());
    reserve(core, 0, Demand.ofCall(1_000, 0));

    Admission admission = reserve(core, 0, Demand.ofCall(500, 0));

    assertThat(admission).isEqualTo(new Admission.Deferred(at(30_000), "TOKENS/60s", true));
  }

  @Test
  void shouldRefuseADemandLargerThanABucket() {
    LimitCore core = core(RateLimits.builder().tokensPerMinute(1_000).build());

    Admission admission = reserve(core, 0, Demand.ofCall(900, 101));

    assertThat(admission).isInstanceOf(Admission.Refused.class);
    assertThat(((Admission.Refused) admission).reason()).contains("1001").contains("TOKENS/60s");
    assertThat(core.earliestAdmission(state, Caller.of("a", T0), Demand.ofCall(900, 101)))
        .isEqualTo(Instant.MAX);
  }

  @Test
  void shouldChargeNoBucketWhenOneBlocks() {
    LimitCore core =
        core(RateLimits.builder().requestsPerMinute(60).tokensPerMinute(1_000).build());
    reserve(core, 0, Demand.ofCall(1_000, 0));

    reserve(core, 0, Demand.ofCall(10, 0));

    assertThat(available(core, Meter.REQUESTS, 0)).isEqualTo(59);
  }

  @Test
  void shouldCountPromptPlusMaxTokensInOneTokenBucketLikeOpenAi() {
    LimitCore core = core(RateLimits.builder().tokensPerMinute(10_000).build());

    reserve(core, 0, Demand.ofCall(1_200, 800));

    assertThat(available(core, Meter.TOKENS, 0)).isEqualTo(8_000);
  }

  @Test
  void shouldCountInputAndOutputTokensInSeparateBucketsLikeAnthropic() {
    LimitCore core =
        core(
            RateLimits.builder()
                .requestsPerMinute(50)
                .inputTokensPerMinute(30_000)
                .outputTokensPerMinute(8_000)
                .build());

    reserve(core, 0, Demand.ofCall(10_000, 4_000));
    Admission second = reserve(core, 0, Demand.ofCall(10_000, 4_000));
    Admission third = reserve(core, 0, Demand.ofCall(1_000, 1));

    assertThat(second.isGranted()).isTrue();
    assertThat(third)
        .isEqualTo(new Admission.Deferred(T0.plusNanos(7_500_000), "OUTPUT_TOKENS/60s", true));
    assertThat(available(core, Meter.INPUT_TOKENS, 0)).isEqualTo(10_000);
  }

  @Test
  void shouldGiveBackUnusedOutputWhenTheProviderCountsActualOutput() {
    LimitCore core =
        core(
            RateLimits.builder()
                .inputTokensPerMinute(30_000)
                .outputTokensPerMinute(8_000)
                .outputAccounting(OutputAccounting.ACTUAL)
                .build());
    Reservation reservation = granted(reserve(core, 0, Demand.ofCall(2_000, 4_000)));

    settle(core, reservation, core.finalCharge(reservation, new TokenUsage(1_500, 1_000)), 0);

    assertThat(available(core, Meter.INPUT_TOKENS, 0)).isEqualTo(28_500);
    assertThat(available(core, Meter.OUTPUT_TOKENS, 0)).isEqualTo(7_000);
  }

  /**
   * Anthropic's output limit enforced per second holds 133 tokens, and the provider estimates a
   * call's output from {@code max_tokens} at most that: reserving all 885 asked for held every
   * other call back 6.6 s until the refund. Where the provider keeps {@code max_tokens} charged,
   * all of it is reserved.
   */
  @Test
  void shouldReserveNoMoreOutputThanALearnedOutputWindowHoldsWhereTheProviderCountsActualOutput() {
    LimitState perSecond = withWindow("OUTPUT_TOKENS/60s", Duration.ofSeconds(1));
    state = perSecond;
    Reservation actual = granted(reserve(core(anthropic(OutputAccounting.ACTUAL)), 0, CALL_885));
    state = perSecond;
    Reservation reserved =
        granted(reserve(core(anthropic(OutputAccounting.RESERVED)), 0, CALL_885));

    assertThat(actual.reserved().outputTokens()).isEqualTo(133);
    assertThat(actual.estimated()).isEqualTo(CALL_885);
    assertThat(reserved.reserved().outputTokens()).isEqualTo(885);
  }

  private static final Demand CALL_885 = Demand.ofCall(2_000, 885);

  private static RateLimits anthropic(OutputAccounting accounting) {
    return RateLimits.builder()
        .inputTokensPerMinute(30_000)
        .outputTokensPerMinute(8_000)
        .outputAccounting(accounting)
        .build();
  }

  @Test
  void shouldKeepMaxTokensChargedButCorrectTheInputWhenTheProviderCountsReservedOutput() {
    LimitCore core =
        core(
            RateLimits.builder()
                .tokensPerMinute(10_000)
                .outputAccounting(OutputAccounting.RESERVED)
                .build());
    Reservation reservation = granted(reserve(core, 0, Demand.ofCall(2_000, 1_000)));

    settle(core, reservation, core.finalCharge(reservation, new TokenUsage(1_800, 200)), 0);

    assertThat(available(core, Meter.TOKENS, 0)).isEqualTo(7_200);
  }

  @Test
  void shouldChargeOvershootSoThatTheNextCallWaits() {
    LimitCore core = core(RateLimits.builder().inputTokensPerMinute(6_000).build());
    Reservation reservation = granted(reserve(core, 0, Demand.ofCall(1_000, 0)));

    settle(core, reservation, core.finalCharge(reservation, new TokenUsage(7_000, 0)), 0);

    assertThat(available(core, Meter.INPUT_TOKENS, 0)).isEqualTo(-1_000);
    assertThat(reserve(core, 0, Demand.ofCall(1, 0)))
        .isEqualTo(new Admission.Deferred(at(10_010), "INPUT_TOKENS/60s", true));
  }

  @Test
  void shouldNeverRefundBeyondTheBucketSize() {
    LimitCore core = core(RateLimits.builder().tokensPerMinute(6_000).build());
    Reservation reservation = granted(reserve(core, 0, Demand.ofCall(3_000, 0)));

    settle(core, reservation, Demand.NONE, 60_000);

    assertThat(available(core, Meter.TOKENS, 60_000)).isEqualTo(6_000);
    assertThat(available(core, Meter.TOKENS, 120_000)).isEqualTo(6_000);
  }

  @Test
  void shouldRefundOnlyUpToFullAfterPartialRefill() {
    LimitCore core = core(RateLimits.builder().tokensPerMinute(6_000).build());
    Reservation reservation = granted(reserve(core, 0, Demand.ofCall(3_000, 0)));

    settle(core, reservation, Demand.NONE, 20_000);

    assertThat(available(core, Meter.TOKENS, 20_000)).isEqualTo(6_000);
  }

  @Test
  void shouldGiveBackEverythingIncludingTheRequestOnRelease() {
    LimitCore core = core(RateLimits.builder().requestsPerMinute(2).tokensPerMinute(100).build());
    Reservation reservation = granted(reserve(core, 0, Demand.ofCall(60, 0)));

    settle(core, reservation, Demand.NONE, 0);

    assertThat(available(core, Meter.REQUESTS, 0)).isEqualTo(2);
    assertThat(available(core, Meter.TOKENS, 0)).isEqualTo(100);
  }

  @Test
  void shouldKeepTheReservationChargedWhenUsageIsUnknown() {
    LimitCore core = core(RateLimits.builder().tokensPerMinute(100).build());
    Reservation reservation = granted(reserve(core, 0, Demand.ofCall(60, 0)));

    settle(core, reservation, reservation.reserved(), 0);

    assertThat(available(core, Meter.TOKENS, 0)).isEqualTo(40);
  }

  @Test
  void shouldCapCallsInFlightAndFreeASlotWhenACallIsSettled() {
    LimitCore core = core(RateLimits.builder().requestsPerMinute(1_000).maxConcurrency(2).build());
    Reservation first = granted(reserve(core, 0, Demand.ofCall(0, 0)));
    granted(reserve(core, "b", 0, Demand.ofCall(0, 0)));

    Admission third = reserve(core, 0, Demand.ofCall(0, 0));
    settle(core, first, first.reserved(), 1);
    Admission fourth = reserve(core, 1, Demand.ofCall(0, 0));

    assertThat(third).isEqualTo(new Admission.Deferred(at(50), "concurrency"));
    assertThat(fourth.isGranted()).isTrue();
  }

  @Test
  void shouldLowerTheLocalViewToWhatTheProviderReportsRemaining() {
    LimitCore core = core(RateLimits.builder().tokensPerMinute(10_000).build());
    reserve(core, 0, Demand.ofCall(1_000, 0));

    Step<LimitCore.Calibration> step =
        core.calibrate(
            state,
            Caller.of("a", at(0)),
            ProviderRateLimitReport.builder().tokens(10_000L, 4_000L, at(36_000)).build());
    state = step.next();

    assertThat(step.result().lowered()).containsExactly("TOKENS/60s");
    assertThat(available(core, Meter.TOKENS, 0)).isEqualTo(4_000);
    assertThat(available(core, Meter.TOKENS, 6_000)).isEqualTo(5_000);
  }

  /**
   * A report read 3 s after its call was admitted: the provider wrote 4,000 remaining when the call
   * arrived, and has refilled 500 since (10,000 a minute); the local view, 4,500 now, is right.
   */
  @Test
  void shouldCreditTheRefillSinceTheProviderCountedAReport() {
    LimitCore core = core(RateLimits.builder().tokensPerMinute(10_000).build());
    reserve(core, 0, Demand.ofCall(6_000, 0));

    Step<LimitCore.Calibration> step =
        core.calibrate(
            state,
            Caller.of("a", at(3_000)),
            ProviderRateLimitReport.builder()
                .tokens(10_000L, 4_000L, at(36_000))
                .build()
                .withObservedAt(at(0)));
    state = step.next();

    assertThat(step.result().lowered()).isEmpty();
    assertThat(available(core, Meter.TOKENS, 3_000)).isEqualTo(4_500);
    assertThat(state.drift("TOKENS/60s").unseenShare()).isZero();
  }

  /**
   * Anthropic rounds token remainders to thousands: a reported 10,000 is anything up to 10,500. The
   * level goes down to the figure as reported, but only what the provider certainly did not have
   * teaches a share of unseen traffic: a local view of 11,000 lies 500 over the top of that range,
   * within the 2% tolerance (600) — rounding, not another client (counted from the rounded figure,
   * the 1,000 taught 20% here).
   */
  @Test
  void shouldLearnNoUnseenShareFromWhatRoundingMayHide() {
    LimitCore core = core(RateLimits.builder().inputTokensPerMinute(30_000).build());
    reserve(core, 0, Demand.ofCall(20_000, 0));
    state = core.calibrate(state, Caller.of("a", at(0)), inputTokens(10_000, 0)).next();

    Step<LimitCore.Calibration> step =
        core.calibrate(state, Caller.of("a", at(2_000)), inputTokens(10_000, 2_000));
    state = step.next();

    assertThat(step.result().lowered()).containsExactly("INPUT_TOKENS/60s");
    assertThat(available(core, Meter.INPUT_TOKENS, 2_000)).isEqualTo(10_000);
    assertThat(state.drift("INPUT_TOKENS/60s").unseenShare()).isZero();
  }

  /** Beyond what rounding may hide, a correction teaches the share: 1,500 of 500 a second. */
  @Test
  void shouldLearnAnUnseenShareFromWhatLiesBeyondTheRounding() {
    LimitCore core = core(RateLimits.builder().inputTokensPerMinute(30_000).build());
    reserve(core, 0, Demand.ofCall(20_000, 0));
    state = core.calibrate(state, Caller.of("a", at(0)), inputTokens(10_000, 0)).next();

    state = core.calibrate(state, Caller.of("a", at(4_000)), inputTokens(10_000, 4_000)).next();

    // local 12,000 against at most 10,500: 1,500 over the 10 s learn time at 500 a second
    assertThat(available(core, Meter.INPUT_TOKENS, 4_000)).isEqualTo(10_000);
    assertThat(state.drift("INPUT_TOKENS/60s").unseenShare()).isCloseTo(0.3, within(1e-9));
  }

  /**
   * Within a learned 10 s window (5,000 tokens) the rounding is a tenth of the window, and the
   * share its count teaches is margin that pacing there needs: 800 over a rounded 1,000 still
   * teaches, as much as a second's refill allows (500 of 500 a second over the 10 s learn time).
   */
  @Test
  void shouldStillLearnFromTheRoundedRemainderWithinAShorterWindow() {
    LimitCore core = core(RateLimits.builder().inputTokensPerMinute(30_000).build());
    state = withWindow("INPUT_TOKENS/60s", Duration.ofSeconds(10));
    reserve(core, 0, Demand.ofCall(3_700, 0));
    state = core.calibrate(state, Caller.of("a", at(0)), inputTokens(1_000, 0)).next();

    state = core.calibrate(state, Caller.of("a", at(1_000)), inputTokens(1_000, 1_000)).next();

    assertThat(state.drift("INPUT_TOKENS/60s").unseenShare()).isCloseTo(0.1, within(1e-9));
  }

  /**
   * A window only bounded from above (learned from exhausted meters) may be larger in the view than
   * at the provider, so a remainder below the view teaches no share of other traffic there: at
   * per-second windows read as 4.5 s, a share of 38% was learned from nobody's calls. The same
   * correction within a window a remainder confirmed teaches 0.2 (1,000 of 500 a second over the 10
   * s learn time).
   */
  @Test
  void shouldLearnNoUnseenShareWithinAWindowOnlyBoundedFromAbove() {
    assertThat(shareLearnedWithinAFourAndAHalfSecondWindow(true)).isZero();
    assertThat(shareLearnedWithinAFourAndAHalfSecondWindow(false)).isCloseTo(0.2, within(1e-3));
  }

  private double shareLearnedWithinAFourAndAHalfSecondWindow(boolean bounded) {
    LimitCore core = core(RateLimits.builder().inputTokensPerMinute(30_000).build());
    long window = Duration.ofMillis(4_500).toNanos();
    state =
        LimitState.EMPTY.withDrift(
            java.util.Map.of(
                "INPUT_TOKENS/60s",
                new LimitState.Drift(
                    window, 0, T0, Instant.EPOCH, Instant.EPOCH, window / 10, bounded)));
    reserve(core, 0, Demand.ofCall(500, 0));
    state = core.calibrate(state, Caller.of("a", at(0)), inputTokens(0, 0)).next();

    // the view holds 1,000 again two seconds on; the provider reports none
    state = core.calibrate(state, Caller.of("a", at(2_000)), inputTokens(0, 2_000)).next();

    return state.drift("INPUT_TOKENS/60s").unseenShare();
  }

  /**
   * A report of {@code remaining} input tokens (rounded to thousands), counted at {@code atMillis}.
   */
  private static ProviderRateLimitReport inputTokens(long remaining, long atMillis) {
    return ProviderRateLimitReport.builder()
        .inputTokens(30_000L, remaining, null)
        .build()
        .withObservedAt(at(atMillis));
  }

  @Test
  void shouldIgnoreAReportedRemainderWithinTheTolerance() {
    LimitCore core = core(RateLimits.builder().inputTokensPerMinute(30_000).build());

    state =
        core.calibrate(
                state,
                Caller.of("a", at(0)),
                ProviderRateLimitReport.builder().inputTokens(30_000L, 29_500L, null).build())
            .next();

    assertThat(available(core, Meter.INPUT_TOKENS, 0)).isEqualTo(30_000);
  }

  @Test
  void shouldNeverRaiseTheLocalViewFromAReport() {
    LimitCore core = core(RateLimits.builder().tokensPerMinute(10_000).build());
    reserve(core, 0, Demand.ofCall(8_000, 0));

    state =
        core.calibrate(
                state,
                Caller.of("a", at(0)),
                ProviderRateLimitReport.builder().tokens(10_000L, 10_000L, null).build())
            .next();

    assertThat(available(core, Meter.TOKENS, 0)).isEqualTo(2_000);
  }

  @Test
  void shouldReportAProviderLimitBelowTheConfiguredOne() {
    LimitCore core = core(RateLimits.builder().requestsPerMinute(500).build());

    Step<LimitCore.Calibration> step =
        core.calibrate(
            state,
            Caller.of("a", at(0)),
            ProviderRateLimitReport.builder().requests(200L, 199L, null).build());

    assertThat(step.result().limitMismatches()).containsExactly("REQUESTS/60s");
  }

  @Test
  void shouldPauseAdmissionUntilTheRetryHintOfA429() {
    LimitCore core = core(RateLimits.builder().requestsPerMinute(1_000).build());

    state =
        core.rateLimited(
            state, Caller.of("a", at(0)), Duration.ofSeconds(2), ProviderRateLimitReport.NONE);

    assertThat(reserve(core, 1_999, Demand.ofCall(0, 0)))
        .isEqualTo(new Admission.Deferred(at(2_000), "paused", true));
    assertThat(reserve(core, 2_000, Demand.ofCall(0, 0)).isGranted()).isTrue();
  }

  @Test
  void shouldPauseUntilTheResetOfAnExhaustedMeterWhenA429HasNoRetryHint() {
    LimitCore core = core(RateLimits.builder().tokensPerMinute(10_000).build());

    state =
        core.rateLimited(
            state,
            Caller.of("a", at(0)),
            null,
            ProviderRateLimitReport.builder().tokens(10_000L, 0L, at(3_000)).build());

    assertThat(reserve(core, 0, Demand.ofCall(1, 0)))
        .isEqualTo(new Admission.Deferred(at(3_000), "paused", true));
    assertThat(available(core, Meter.TOKENS, 0)).isLessThanOrEqualTo(0);
  }

  @Test
  void shouldLowerTheAdmissionRateAfterA429AndRecoverOverTime() {
    LimitCore core = core(RateLimits.builder().requestsPerMinute(60).build());
    for (int i = 0; i < 60; i++) {
      reserve(core, 0, Demand.ofCall(0, 0));
    }
    state =
        core.rateLimited(state, Caller.of("a", at(0)), Duration.ZERO, ProviderRateLimitReport.NONE);

    Admission throttled = reserve(core, 0, Demand.ofCall(0, 0));

    assertThat(((Admission.Deferred) throttled).notBefore()).isAfter(at(1_240));
    double recovered = state.throttle().factorAt(at(20_000), SETTINGS.throttleRecoveryPerSecond());
    assertThat(recovered).isEqualTo(1.0);
  }

  @Test
  void shouldNeverThrottleBelowTheFloor() {
    LimitCore core = core(RateLimits.builder().requestsPerMinute(60).build());
    for (int i = 0; i < 20; i++) {
      state =
          core.rateLimited(
              state, Caller.of("a", at(0)), Duration.ZERO, ProviderRateLimitReport.NONE);
    }

    assertThat(state.throttle().factor()).isEqualTo(SETTINGS.throttleFloor());
  }

  @Test
  void shouldLowerTheRateOnceForThe429sOfCallsAdmittedBeforeTheLastDecrease() {
    LimiterSettings settings = LimiterSettings.defaults();
    LimitCore core = new LimitCore(RateLimits.builder().requestsPerMinute(60).build(), settings);
    Duration callDelay = settings.callDelay();

    state =
        core.rateLimited(state, Caller.of("a", at(0)), Duration.ZERO, ProviderRateLimitReport.NONE);
    state =
        core.rateLimited(
            state,
            Caller.of("b", at(callDelay.toMillis() - 1)),
            Duration.ofMillis(500),
            ProviderRateLimitReport.NONE);

    assertThat(state.throttle().factor()).isEqualTo(settings.throttleDecrease());
    assertThat(state.pausedUntil()).isEqualTo(at(callDelay.toMillis() - 1 + 500));

    state =
        core.rateLimited(
            state,
            Caller.of("a", at(callDelay.toMillis())),
            Duration.ZERO,
            ProviderRateLimitReport.NONE);

    double recovered =
        settings.throttleDecrease()
            + settings.throttleRecoveryPerSecond() * callDelay.toMillis() / 1000.0;
    assertThat(state.throttle().factor())
        .isCloseTo(recovered * settings.throttleDecrease(), within(1e-9));
  }

  @Test
  void shouldGiveAnInstanceThatIsAloneTheWholeLimitAndAFullFallbackShare() {
    LimitCore core = core(RateLimits.builder().requestsPerMinute(60).build());

    int admitted = 0;
    while (reserve(core, "alone", 0, Demand.ofCall(0, 0)).isGranted()) {
      admitted++;
    }

    assertThat(admitted).isEqualTo(60);
    assertThat(LimitCore.fallbackShare(state, "alone")).isEqualTo(1.0);
  }

  @Test
  void shouldSplitFallbackSharesSoThatTheyNeverAddUpToMoreThanTheLimit() {
    LimitCore core = core(RateLimits.builder().requestsPerMinute(60).build());
    List<Double> sums = new ArrayList<>();
    for (String instance : List.of("a", "b", "c", "a", "b", "c")) {
      state = core.heartbeat(state, Caller.of(instance, at(0)));
      sums.add(state.members().values().stream().mapToDouble(m -> m.fallbackShare()).sum());
    }

    assertThat(sums).allSatisfy(sum -> assertThat(sum).isLessThanOrEqualTo(1.0));
    assertThat(LimitCore.fallbackShare(state, "a")).isEqualTo(1.0 / 3);
    assertThat(LimitCore.fallbackShare(state, "c")).isEqualTo(1.0 / 3);
  }

  @Test
  void shouldHoldBackTheShareOfAnInstanceThatWentSilent() {
    LimitCore core = core(RateLimits.builder().requestsPerMinute(600).build());
    meet(core, "a", "b");
    countAdmitted(core, "a", 0, 3_000);

    long whileSilent = countAdmitted(core, "a", 3_010, 13_000);
    long afterwards = countAdmitted(core, "a", 13_010, 23_000);

    assertThat(whileSilent).isBetween(49L, 50L);
    assertThat(afterwards).isBetween(99L, 101L);
  }

  @Test
  void shouldGiveTheShareBackOnceTheSilentInstanceCanNoLongerBeInFallback() {
    LimitCore core = core(RateLimits.builder().requestsPerMinute(600).build());
    meet(core, "a", "b");
    state = core.heartbeat(state, Caller.of("a", at(6_000)));
    state = core.heartbeat(state, Caller.of("a", at(12_000)));

    long afterForget = countAdmitted(core, "a", 13_010, 23_000);

    // b is forgotten at 13 s; its local bucket could have held 10 s × 1/2 of the rate (50 calls).
    assertThat(state.members()).containsOnlyKeys("a");
    assertThat(afterForget).isBetween(600L - 50 + 99, 600L - 50 + 101);
  }

  @Test
  void shouldGiveAnInstanceThatLeftItsShareBackAtOnce() {
    LimitCore core = core(RateLimits.builder().requestsPerMinute(600).build());
    state = core.heartbeat(state, Caller.of("a", at(0)));
    state = core.heartbeat(state, Caller.of("b", at(0)));
    state = core.leave(state, "b");

    long admitted = countAdmittedOverOneMinute(core, "a", 60_000);

    assertThat(admitted).isEqualTo(600 + 600);
  }

  @Test
  void shouldHoldBackTheConcurrencyShareOfASilentInstance() {
    LimitCore core = core(RateLimits.builder().requestsPerMinute(1_000).maxConcurrency(4).build());
    meet(core, "a", "b");

    int admitted = 0;
    while (reserve(core, "a", 5_000, Demand.ofCall(0, 0)).isGranted()) {
      admitted++;
    }

    assertThat(admitted).isEqualTo(2);
  }

  @Test
  void shouldEnforceAPerDayBucketBesideThePerMinuteOne() {
    LimitCore core = core(RateLimits.builder().requestsPerMinute(10).requestsPerDay(12).build());
    for (int i = 0; i < 10; i++) {
      reserve(core, 0, Demand.ofCall(0, 0));
    }

    Admission afterOneMinute = reserve(core, 60_000, Demand.ofCall(0, 0));
    reserve(core, 60_000, Demand.ofCall(0, 0));
    Admission thirteenth = reserve(core, 60_000, Demand.ofCall(0, 0));

    assertThat(afterOneMinute.isGranted()).isTrue();
    assertThat(thirteenth).isInstanceOf(Admission.Deferred.class);
    assertThat(((Admission.Deferred) thirteenth).blockedBy()).isEqualTo("REQUESTS/86400s");
  }

  @Test
  void shouldAnswerWhenADemandFitsWithoutChargingAnything() {
    LimitCore core = core(RateLimits.builder().tokensPerMinute(6_000).build());
    reserve(core, 0, Demand.ofCall(6_000, 0));
    LimitState before = state;

    Instant earliest = core.earliestAdmission(state, Caller.of("a", at(0)), Demand.ofCall(600, 0));

    assertThat(earliest).isEqualTo(at(6_000));
    assertThat(state).isEqualTo(before);
    assertThat(core.earliestAdmission(state, Caller.of("a", at(7_000)), Demand.ofCall(600, 0)))
        .isEqualTo(at(7_000));
  }

  @Test
  void shouldStartALocalShareWithEmptyBuckets() {
    LimitCore core = core(RateLimits.builder().requestsPerMinute(60).build());
    state = core.drainedAt(at(0));

    assertThat(reserve(core, 0, Demand.ofCall(0, 0)).isGranted()).isFalse();
    assertThat(reserve(core, 1_000, Demand.ofCall(0, 0)).isGranted()).isTrue();
  }

  /** Two instances see each other twice, so that each records a fallback share of 1/2. */
  private void meet(LimitCore core, String first, String second) {
    for (String instance : List.of(first, second, first, second)) {
      state = core.heartbeat(state, Caller.of(instance, at(0)));
    }
  }

  private long countAdmittedOverOneMinute(LimitCore core, String instance, long untilMillis) {
    return countAdmitted(core, instance, untilMillis - 60_000, untilMillis);
  }

  private long countAdmitted(LimitCore core, String instance, long fromMillis, long untilMillis) {
    long admitted = 0;
    for (long t = fromMillis; t <= untilMillis; t += 10) {
      while (reserve(core, instance, t, Demand.ofCall(0, 0)).isGranted()) {
        admitted++;
      }
    }
    return admitted;
  }

  private void settle(LimitCore core, Reservation reservation, Demand charged, long atMillis) {
    state = core.settle(state, Caller.of("a", at(atMillis)), reservation, charged, true);
  }

  @Test
  void shouldReserveTheEstimateTimesTheLearnedBiasAndLearnItFromReconciledCalls() {
    LimitCore core =
        new LimitCore(
            RateLimits.builder().bucket(Meter.INPUT_TOKENS, 100_000, Duration.ofMinutes(1)).build(),
            SETTINGS);
    for (int call = 0; call < 30; call++) {
      Reservation reservation = granted(reserve(core, call, Demand.ofCall(1_000, 0)));
      state =
          core.reconcile(
              state, Caller.of("a", at(call)), reservation, new TokenUsage(1_300, 0), true);
    }

    Reservation corrected = granted(reserve(core, 100, Demand.ofCall(1_000, 0)));

    assertThat(state.bias().factor()).isBetween(1.29, 1.3);
    assertThat(corrected.reserved().inputTokens()).isBetween(1_290L, 1_300L);
    assertThat(corrected.estimated().inputTokens()).isEqualTo(1_000);
  }

  @Test
  void shouldLetAnotherInstanceOvertakeTheOldestWaiterOnlyWhenItLeavesRoomForIt() {
    LimitCore core =
        new LimitCore(
            RateLimits.builder().bucket(Meter.TOKENS, 1_000, Duration.ofSeconds(10)).build(),
            SETTINGS);
    granted(reserve(core, "b", 0, Demand.ofCall(1_000, 0)));
    assertThat(reserve(core, "a", 0, Demand.ofCall(600, 0))).isInstanceOf(Admission.Deferred.class);
    for (long millis = 2_500; millis < 5_000; millis += 2_000) {
      state =
          core.heartbeat(
              core.heartbeat(state, Caller.of("a", at(millis))), Caller.of("b", at(millis)));
    }

    assertThat(reserve(core, "b", 5_000, Demand.ofCall(100, 0)))
        .isEqualTo(new Admission.Deferred(at(7_000), "TOKENS/10s", true));
    granted(reserve(core, "a", 6_000, Demand.ofCall(600, 0)));
    granted(reserve(core, "b", 7_000, Demand.ofCall(100, 0)));
  }

  @Test
  void shouldLetASmallerDemandUseTheEndOfAFixedWindowThatTheOldestWaiterCannotFitInto() {
    LimitCore core = core(RateLimits.builder().tokensPerMinute(60_000).build());
    // 8,000 tokens waiting at 57 s would fit only after the reset
    Instant waiting = notBeforeOfASmallerDemandBehind(core, 8_000);

    assertThat(waiting).isEqualTo(at(58_500));
    granted(reserve(core, "b", 58_500, Demand.ofCall(2_000, 0)));
  }

  @Test
  void shouldKeepTheEarmarkInAFixedWindowWhenTheOldestWaiterFitsBeforeTheReset() {
    LimitCore core = core(RateLimits.builder().tokensPerMinute(60_000).build());
    // 2,500 tokens waiting at 57 s fit at 59 s, before the reset: their room is kept
    Instant waiting = notBeforeOfASmallerDemandBehind(core, 2_500);

    assertThat(waiting).isAfter(at(60_000));
  }

  /**
   * A provider counting clock minutes of 60,000 tokens, seen fixed at 10 s and at 50 s with 3,000
   * left until the reset given as 00:01:00Z (read from the middle of the second before, 59.5 s: the
   * view then holds 500 at 57 s, 3,000 at the reset); instance "a" waits for {@code oldest} tokens
   * from 57 s, instance "b" asks for 2,000 at 58 s.
   *
   * @return when "b" may ask again
   */
  private Instant notBeforeOfASmallerDemandBehind(LimitCore core, long oldest) {
    for (long millis : new long[] {10_000, 50_000}) {
      long remaining = millis == 10_000 ? 55_000 : 3_000;
      state =
          core.calibrate(
                  state,
                  Caller.of("a", at(millis)),
                  ProviderRateLimitReport.builder().tokens(60_000L, remaining, at(60_000)).build())
              .next();
    }
    for (long millis = 51_000; millis <= 57_000; millis += 2_000) {
      state =
          core.heartbeat(
              core.heartbeat(state, Caller.of("a", at(millis))), Caller.of("b", at(millis)));
    }
    assertThat(state.drift("TOKENS/60s").fixedReset()).isEqualTo(at(59_500));
    assertThat(reserve(core, "a", 57_000, Demand.ofCall(oldest, 0)))
        .isInstanceOf(Admission.Deferred.class);
    Admission smaller = reserve(core, "b", 58_000, Demand.ofCall(2_000, 0));
    assertThat(smaller).isInstanceOf(Admission.Deferred.class);
    return ((Admission.Deferred) smaller).notBefore();
  }

  @Test
  void shouldFreeTheCapacityOfAWaiterWhoseInstanceLeaves() {
    LimitCore core =
        new LimitCore(
            RateLimits.builder().bucket(Meter.TOKENS, 1_000, Duration.ofSeconds(10)).build(),
            SETTINGS);
    granted(reserve(core, "b", 0, Demand.ofCall(1_000, 0)));
    assertThat(reserve(core, "a", 0, Demand.ofCall(600, 0))).isInstanceOf(Admission.Deferred.class);

    state = core.leave(state, "a");

    granted(reserve(core, "b", 1_000, Demand.ofCall(100, 0)));
  }

  @Test
  void shouldSayWhichDeferredDemandHoldsTheInstancesPlace() {
    LimitCore core =
        new LimitCore(
            RateLimits.builder().bucket(Meter.TOKENS, 1_000, Duration.ofSeconds(10)).build(),
            SETTINGS);
    granted(reserve(core, "b", 0, Demand.ofCall(1_000, 0)));

    Admission first = reserve(core, "a", 0, Demand.ofCall(400, 0));
    Admission smaller = reserve(core, "a", 10, Demand.ofCall(200, 0));
    Admission larger = reserve(core, "a", 20, Demand.ofCall(600, 0));
    Admission firstAgain = reserve(core, "a", 30, Demand.ofCall(400, 0));

    assertThat(first).isEqualTo(new Admission.Deferred(at(4_000), "TOKENS/10s", true));
    assertThat(smaller).isEqualTo(new Admission.Deferred(at(2_000), "TOKENS/10s", false));
    assertThat(larger).isEqualTo(new Admission.Deferred(at(6_000), "TOKENS/10s", true));
    assertThat(firstAgain).isEqualTo(new Admission.Deferred(at(4_000), "TOKENS/10s", false));
  }
}
