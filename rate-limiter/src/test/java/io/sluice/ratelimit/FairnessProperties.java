package io.sluice.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import net.jqwik.api.statistics.Statistics;

/**
 * The shared queue of deferred demands: a large demand is not overtaken indefinitely by the small
 * demands of other instances, a place whose instance gave up lapses, and the limits still hold.
 * Instances here behave like the workers' gate: after a deferral an instance asks again at the
 * {@code notBefore} it was given (a little later, as a busy process does).
 */
class FairnessProperties {
  private static final LimitKey KEY = new LimitKey("openai", "default", "gpt-4o-mini");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
  private static final Duration MINUTE = Duration.ofMinutes(1);
  private static final long RETRY_LAG_MILLIS = 300;
  private static final String BIG = "big";

  /** One run: capacity per minute, the large demand, when it first asks, and its answer. */
  private record Run(long capacity, long large, Instant firstAsk, Optional<Instant> granted) {
    /** The bound: its own size and one bucket at the refill rate, plus the retry lag and delay. */
    Duration bound() {
      long refillNanos = MINUTE.toNanos() / capacity;
      return Duration.ofNanos((large + capacity) * refillNanos)
          .plusMillis(RETRY_LAG_MILLIS)
          .plus(LimiterSettings.defaults().callDelay());
    }
  }

  @Property(tries = 200)
  void
      aWaitingDemandIsAdmittedWithinItsOwnSizeAndOneBucketAtTheRefillRateWhileOthersKeepSendingSmallOnes(
          @ForAll @LongRange(min = 2_000, max = 200_000) long capacity,
          @ForAll @IntRange(min = 20, max = 90) int largePercent,
          @ForAll @IntRange(min = 1, max = 4) int smallSenders,
          @ForAll long seed) {
    long large = capacity * largePercent / 100;
    WindowCheck tokens = new WindowCheck();

    Run run = run(LimiterSettings.defaults(), capacity, large, smallSenders, seed, tokens);

    assertThat(run.granted()).isPresent();
    assertThat(Duration.between(run.firstAsk(), run.granted().get()))
        .isLessThanOrEqualTo(run.bound());
    assertThat(tokens.violation(capacity, MINUTE)).isEmpty();
  }

  @Example
  void shouldLeaveALargeDemandBehindSmallOnesIndefinitelyWithoutTheQueue() {
    // the defect the queue fixes: with no place kept, small demands take every refill first
    LimiterSettings noQueue = LimiterSettings.defaults().withWaiters(Duration.ofSeconds(3), 0);

    Run run = run(noQueue, 30_000, 6_000, 3, 42, new WindowCheck());

    assertThat(run.granted()).isEmpty();
  }

  @Property(tries = 200)
  void aPlaceWhoseInstanceStopsAskingLapsesAndFreesItsCapacity(
      @ForAll @LongRange(min = 2_000, max = 200_000) long capacity,
      @ForAll @IntRange(min = 20, max = 90) int largePercent,
      @ForAll boolean instanceDies,
      @ForAll long seed) {
    LimiterSettings settings = LimiterSettings.defaults();
    LimitCore core = core(capacity, settings);
    Random random = new Random(seed);
    Demand large = Demand.ofCall(capacity * largePercent / 100, 0);
    LimitState state = drained(core, capacity);
    Instant asked = T0.plusSeconds(1);
    Step<Admission> step = core.reserve(state, Caller.of(BIG, asked), KEY, "r", large);
    state = step.next();
    Instant notBefore = ((Admission.Deferred) step.result()).notBefore();
    assertThat(state.earmark()).map(LimitState.Waiter::owner).contains(BIG);
    Instant lapse =
        instanceDies
            ? asked.plus(settings.staleAfter()).plusNanos(1)
            : notBefore.plus(settings.waiterGrace());

    Instant now = asked;
    while (now.isBefore(lapse.plusSeconds(5))) {
      now = now.plusMillis(random.nextInt(1_000));
      if (!instanceDies) {
        state = core.heartbeat(state, Caller.of(BIG, now)); // alive, but never asks again
      }
      Demand small = Demand.ofCall(1 + random.nextLong(capacity / 20), 0);
      Caller other = Caller.of("other", now);
      Instant fair = core.earliestAdmission(state, other, small);
      LimitState withoutBig =
          state.withWaiters(
              state.waiters().stream().filter(waiter -> !waiter.owner().equals(BIG)).toList());
      Instant free = core.earliestAdmission(withoutBig, other, small);
      if (!now.isBefore(lapse)) {
        assertThat(fair).isEqualTo(free);
      }
      state = core.reserve(state, other, KEY, "r", small).next();
      if (!now.isBefore(lapse)) {
        assertThat(state.waiters()).noneMatch(waiter -> waiter.owner().equals(BIG));
      }
    }
  }

  @Property(tries = 200)
  void theOldestWaiterKeepsTheEarmarkAndTheQueueNeverExceedsItsSize(
      @ForAll @LongRange(min = 2_000, max = 200_000) long capacity, @ForAll long seed) {
    LimiterSettings settings = LimiterSettings.defaults();
    LimitCore core = core(capacity, settings);
    Random random = new Random(seed);
    LimitState state = drained(core, capacity);
    Instant now = T0;
    Optional<LimitState.Waiter> earmark = Optional.empty();
    for (int i = 0; i < 200; i++) {
      now = now.plusMillis(1 + random.nextInt(200));
      Caller caller = Caller.of("instance-" + random.nextInt(20), now);
      Demand demand = Demand.ofCall(1 + random.nextLong(capacity / 2), 0);
      Step<Admission> step = core.reserve(state, caller, KEY, "r", demand);
      state = step.next();
      assertThat(state.waiters()).hasSizeLessThanOrEqualTo(settings.maxWaiters());
      Optional<LimitState.Waiter> head = state.earmark();
      if (earmark.isPresent() && head.isPresent()) {
        // the old head, while still queued, stays the head: no younger demand takes its place
        LimitState.Waiter old = earmark.get();
        boolean oldStillQueued = state.waiters().stream().anyMatch(w -> samePlace(w, old));
        assertThat(!oldStillQueued || samePlace(head.get(), old)).isTrue();
      }
      earmark = head;
    }
  }

  /**
   * A deferral says whether its demand holds the caller's place (what a worker holding several
   * calls asks with first): if so the caller's place holds exactly that demand; if not, the caller
   * has no place, or its place holds another demand at least as large (unless the deferral was not
   * one that queues: the concurrency cap, silent instances). An admission ends the place.
   */
  @Property(tries = 200)
  void aDeferralSaysWhetherItsDemandHoldsTheCallersPlace(
      @ForAll @LongRange(min = 2_000, max = 200_000) long capacity, @ForAll long seed) {
    LimitCore core = core(capacity, LimiterSettings.defaults());
    Random random = new Random(seed);
    LimitState state = drained(core, capacity);
    Instant now = T0;
    boolean held = false;
    boolean notHeld = false;
    for (int i = 0; i < 200; i++) {
      now = now.plusMillis(1 + random.nextInt(200));
      String instance = "instance-" + random.nextInt(6);
      Demand demand = Demand.ofCall(1 + random.nextLong(capacity / 2), 0);
      Step<Admission> step = core.reserve(state, Caller.of(instance, now), KEY, "r", demand);
      state = step.next();
      Optional<LimitState.Waiter> place =
          state.waiters().stream().filter(w -> w.owner().equals(instance)).findFirst();
      if (step.result() instanceof Admission.Deferred deferred) {
        held |= deferred.holdsPlace();
        notHeld |= !deferred.holdsPlace() && queues(deferred) && place.isPresent();
        if (deferred.holdsPlace()) {
          assertThat(place).map(LimitState.Waiter::demand).contains(demand);
        } else if (queues(deferred)) {
          place.ifPresent(
              w -> {
                assertThat(w.demand()).isNotEqualTo(demand);
                assertThat(w.demand().totalTokens() + w.demand().requests())
                    .isGreaterThanOrEqualTo(demand.totalTokens() + demand.requests());
              });
        }
      } else {
        assertThat(place).isEmpty();
      }
    }
    Statistics.label("a deferral held the place, another queued behind a larger one")
        .collect(held && notHeld);
    Statistics.label("a deferral held the place, another queued behind a larger one")
        .coverage(coverage -> coverage.check(true).percentage(p -> p >= 50));
  }

  /**
   * Small senders drain the bucket for 20 s; then the large demand asks, again at each {@code
   * notBefore} (plus a lag), while the small senders keep asking as fast as they are let.
   */
  private static Run run(
      LimiterSettings settings,
      long capacity,
      long large,
      int smallSenders,
      long seed,
      WindowCheck tokens) {
    LimitCore core = core(capacity, settings);
    Random random = new Random(seed);
    LimitState state = LimitState.EMPTY;
    List<Instant> nextAsk = new ArrayList<>();
    for (int i = 0; i < smallSenders; i++) {
      nextAsk.add(T0.plusMillis(random.nextInt(100)));
    }
    Instant firstAsk = T0.plusSeconds(20).plusMillis(random.nextInt(1_000));
    nextAsk.add(firstAsk);
    Instant end = firstAsk.plus(MINUTE.multipliedBy(10));
    int bigIndex = smallSenders;
    Instant nextHeartbeat = T0;
    while (true) {
      int who = earliest(nextAsk);
      Instant now = nextAsk.get(who);
      if (now.isAfter(end)) {
        return new Run(capacity, large, firstAsk, Optional.empty());
      }
      if (nextHeartbeat.isBefore(now)) {
        // every instance's limiter heartbeats once a second, as the workers' do
        for (int i = 0; i <= smallSenders; i++) {
          state =
              core.heartbeat(state, Caller.of(i == bigIndex ? BIG : "small-" + i, nextHeartbeat));
        }
        nextHeartbeat = nextHeartbeat.plusSeconds(1);
        continue;
      }
      boolean big = who == bigIndex;
      Demand demand =
          Demand.ofCall(big ? large : 1 + random.nextLong(Math.max(1, capacity / 20)), 0);
      Step<Admission> step =
          core.reserve(state, Caller.of(big ? BIG : "small-" + who, now), KEY, "r", demand);
      state = step.next();
      if (step.result() instanceof Admission.Deferred deferred) {
        Instant retry = deferred.notBefore().isAfter(now) ? deferred.notBefore() : now;
        nextAsk.set(who, retry.plusMillis(1 + random.nextLong(RETRY_LAG_MILLIS)));
      } else {
        tokens.add(now, demand.inputTokens());
        if (big) {
          return new Run(capacity, large, firstAsk, Optional.of(now));
        }
        nextAsk.set(who, now.plusMillis(random.nextInt(50)));
      }
    }
  }

  /** Only bucket and pause deferrals queue: the others leave the caller's place as it was. */
  private static boolean queues(Admission.Deferred deferred) {
    return !deferred.blockedBy().equals("concurrency")
        && !deferred.blockedBy().equals("unreachable-instances");
  }

  private static boolean samePlace(LimitState.Waiter a, LimitState.Waiter b) {
    return a.owner().equals(b.owner()) && a.since().equals(b.since());
  }

  private static LimitCore core(long capacity, LimiterSettings settings) {
    return new LimitCore(
        RateLimits.builder().bucket(Meter.TOKENS, capacity, MINUTE).build(), settings);
  }

  /** A state whose bucket was just emptied by another instance. */
  private static LimitState drained(LimitCore core, long capacity) {
    Step<Admission> step =
        core.reserve(
            LimitState.EMPTY,
            Caller.of("other", T0),
            KEY,
            "r",
            Demand.ofCall(capacity * 9 / 10, 0));
    return step.next();
  }

  private static int earliest(List<Instant> times) {
    int best = 0;
    for (int i = 1; i < times.size(); i++) {
      if (times.get(i).isBefore(times.get(best))) {
        best = i;
      }
    }
    return best;
  }
}
