package io.sluice.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.schemas.job.TokenUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.PriorityQueue;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

/**
 * The provider counts input tokens its own way (another tokenizer, a characters-based estimate): a
 * systematic bias that reconciliation shows as actual vs reserved. The limiter learns it per key
 * (one key per model) and reserves the estimate times the learned factor.
 */
class BiasLearningProperties {
  private static final LimitKey KEY = new LimitKey("anthropic", "default", "claude");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration MINUTE = Duration.ofMinutes(1);

  @Property(tries = 300)
  void theLearnedFactorStaysWithinItsBoundsAndSettlesNearASystematicBias(
      @ForAll @IntRange(min = 50, max = 300) int biasPercent,
      @ForAll @IntRange(min = 0, max = 10) int noisePercent,
      @ForAll long seed) {
    LimiterSettings.BiasLearning learning = LimiterSettings.defaults().biasLearning();
    LimitCore core = core(1_000_000, LimiterSettings.defaults());
    Random random = new Random(seed);
    LimitState state = LimitState.EMPTY;
    Instant now = T0;
    for (int i = 0; i < 100; i++) {
      now = now.plusMillis(100);
      long estimate = 50 + random.nextLong(5_000);
      double noise = 1 + noisePercent / 100.0 * (2 * random.nextDouble() - 1);
      long actual = Math.round(estimate * biasPercent / 100.0 * noise);
      Step<Admission> step =
          core.reserve(state, Caller.of("a", now), KEY, "r", Demand.ofCall(estimate, 0));
      Reservation reservation = ((Admission.Granted) step.result()).reservation();
      state =
          core.reconcile(
              step.next(), Caller.of("a", now), reservation, new TokenUsage(actual, 0), true);
      assertThat(state.bias().factor()).isBetween(learning.min(), learning.max());
    }

    double target = Math.max(learning.min(), Math.min(learning.max(), biasPercent / 100.0));
    assertThat(state.bias().factor()).isBetween(target * 0.95, target * 1.10);
    assertThat(state.bias().samples()).isEqualTo(100);
  }

  @Property(tries = 100)
  void afterLearningASystematicBiasTheProviderRefusesNoCallAndNoReservationExceedsABucket(
      @ForAll @LongRange(min = 6_000, max = 200_000) long capacity,
      @ForAll @IntRange(min = 100, max = 200) int biasPercent,
      @ForAll long seed) {
    Outcome outcome =
        greedyClient(
            capacity, biasPercent, Duration.ofSeconds(5), LimiterSettings.defaults(), seed);

    assertThat(outcome.refusedAfterLearning()).isZero();
    assertThat(outcome.largestReservation()).isLessThanOrEqualTo(capacity);
  }

  @Example
  void shouldHaveBeenRefusedByTheProviderWithoutLearningTheBias() {
    LimiterSettings noLearning =
        LimiterSettings.defaults().withBiasLearning(LimiterSettings.BiasLearning.off());

    // 30 s calls: a third of what the provider counts is in flight and not yet reconciled
    Outcome outcome = greedyClient(30_000, 150, Duration.ofSeconds(30), noLearning, 7);

    assertThat(outcome.refusedAfterLearning()).isPositive();
  }

  @Example
  void shouldNeverCutTheEstimateWhenTheCorrectionWouldNotFitABucket() {
    LimitCore core = core(1_000, LimiterSettings.defaults());
    LimitState learned = LimitState.EMPTY.withBias(new LimitState.EstimateBias(2.0, 10));

    assertThat(core.corrected(learned, Demand.ofCall(400, 0)).inputTokens()).isEqualTo(800);
    assertThat(core.corrected(learned, Demand.ofCall(700, 0)).inputTokens()).isEqualTo(1_000);
  }

  /**
   * @param refusedAfterLearning calls the provider refused among those admitted one minute after
   *     the 40th reconciled call
   * @param largestReservation the most input tokens one reservation charged
   */
  private record Outcome(int refusedAfterLearning, long largestReservation) {}

  /** A call in flight: when the provider counts it, when it is reconciled, what it is. */
  private record Call(long arrival, long settle, Reservation reservation, long actual) {}

  /**
   * Six minutes of a client that asks for calls as soon as the limiter lets it. The provider counts
   * each call's actual tokens (the estimate × the bias) when it arrives, up to half the call delay
   * after its admission, in an exact bucket of the same size, refused or not (a refusal gives the
   * limiter no credit to hide behind); the call is reconciled up to {@code latency} after it
   * arrives.
   */
  private static Outcome greedyClient(
      long capacity, int biasPercent, Duration latency, LimiterSettings settings, long seed) {
    LimitCore limiter = core(capacity, settings);
    LimitCore provider =
        core(
            capacity, settings.withCallDelay(Duration.ZERO).withWaiters(settings.waiterGrace(), 0));
    Random random = new Random(seed);
    long maxDelay = settings.callDelay().toNanos() / 2;
    PriorityQueue<Call> toArrive =
        new PriorityQueue<>((a, b) -> Long.compare(a.arrival, b.arrival));
    PriorityQueue<Call> toSettle = new PriorityQueue<>((a, b) -> Long.compare(a.settle, b.settle));
    LimitState state = LimitState.EMPTY;
    LimitState providerState = LimitState.EMPTY;
    long end = MINUTE.multipliedBy(6).toNanos();
    long nextAsk = 0;
    long learnedAt = Long.MAX_VALUE;
    int reconciled = 0;
    int refused = 0;
    long largest = 0;
    long estimate = nextEstimate(capacity, random);
    while (true) {
      long next = Math.min(nextAsk, Math.min(head(toArrive, true), head(toSettle, false)));
      if (next >= end) {
        return new Outcome(refused, largest);
      }
      Instant at = T0.plusNanos(next);
      if (next == head(toArrive, true)) {
        Call call = toArrive.poll();
        Step<Admission> counted =
            provider.reserve(
                providerState, Caller.of("p", at), KEY, "p", Demand.ofCall(call.actual(), 0));
        providerState = counted.next();
        if (!counted.result().isGranted()) {
          // a strict provider: a refused call counts against the limit too
          Reservation nothing =
              new Reservation("p", KEY, "p", Demand.NONE, at, Reservation.Source.SHARED, 0);
          providerState =
              provider.settle(
                  providerState,
                  Caller.of("p", at),
                  nothing,
                  Demand.ofCall(call.actual(), 0),
                  true);
        }
        boolean late = call.reservation().admittedAt().isAfter(T0.plusNanos(learnedAt));
        refused += !counted.result().isGranted() && late ? 1 : 0;
      } else if (next == head(toSettle, false)) {
        Call call = toSettle.poll();
        state =
            limiter.reconcile(
                state,
                Caller.of("a", at),
                call.reservation(),
                new TokenUsage(call.actual(), 0),
                true);
        if (++reconciled == 40) {
          learnedAt = next + MINUTE.toNanos();
        }
      } else {
        Step<Admission> step =
            limiter.reserve(state, Caller.of("a", at), KEY, "r", Demand.ofCall(estimate, 0));
        state = step.next();
        if (step.result() instanceof Admission.Granted granted) {
          long arrival = next + random.nextLong(maxDelay + 1);
          long actual = Math.round(estimate * biasPercent / 100.0);
          Call call =
              new Call(
                  arrival,
                  arrival + random.nextLong(latency.toNanos()),
                  granted.reservation(),
                  actual);
          toArrive.add(call);
          toSettle.add(call);
          largest = Math.max(largest, granted.reservation().reserved().inputTokens());
          estimate = nextEstimate(capacity, random);
        } else {
          Admission.Deferred deferred = (Admission.Deferred) step.result();
          nextAsk = Math.max(next + 1, Duration.between(T0, deferred.notBefore()).toNanos());
        }
      }
    }
  }

  private static long head(PriorityQueue<Call> calls, boolean arrival) {
    Call head = calls.peek();
    return head == null ? Long.MAX_VALUE : arrival ? head.arrival() : head.settle();
  }

  private static long nextEstimate(long capacity, Random random) {
    return 50 + random.nextLong(capacity / 40);
  }

  private static LimitCore core(long capacity, LimiterSettings settings) {
    return new LimitCore(
        RateLimits.builder().bucket(Meter.INPUT_TOKENS, capacity, MINUTE).build(), settings);
  }
}
