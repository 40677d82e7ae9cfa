package io.sluice.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.ratelimit.internal.Gcra;
import io.sluice.schemas.job.TokenUsage;
import io.sluice.testing.ManualClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/** Property-based tests of the limiter's promises, over random sequences of calls and time. */
class LimitInvariantProperties {
  private static final Duration SECOND = Duration.ofSeconds(1);
  private static final LimitKey KEY = new LimitKey("openai", "default", "gpt-4o-mini");
  private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

  /** One step of a random run: let time pass, then act. */
  record Op(int advanceMillis, int actor, int action, long amount, int usedPercent) {}

  @Provide
  Arbitrary<List<Op>> ops() {
    return Combinators.combine(
            Arbitraries.integers().between(0, 1_500),
            Arbitraries.integers().between(0, 2),
            Arbitraries.integers().between(0, 9),
            Arbitraries.longs().between(1, 300),
            Arbitraries.integers().between(0, 100))
        .as(Op::new)
        .list()
        .ofMinSize(20)
        .ofMaxSize(150);
  }

  /** Capacities whose refill interval is a whole number of nanoseconds per second. */
  @Provide
  Arbitrary<Long> exactCapacity() {
    return Arbitraries.of(
        1L, 2L, 4L, 5L, 8L, 10L, 20L, 25L, 40L, 50L, 100L, 125L, 200L, 250L, 500L, 1_000L, 2_000L);
  }

  @Property(tries = 300)
  void admittedUnitsNeverExceedCapacityPlusRefillOverAnyWindow(
      @ForAll @IntRange(min = 1, max = 2_000) int tokenCapacity,
      @ForAll @IntRange(min = 1, max = 50) int requestCapacity,
      @ForAll("ops") List<Op> ops) {
    LimitCore core =
        new LimitCore(
            RateLimits.builder()
                .bucket(Meter.TOKENS, tokenCapacity, SECOND)
                .bucket(Meter.REQUESTS, requestCapacity, SECOND)
                .build(),
            LimiterSettings.defaults());
    LimitState state = LimitState.EMPTY;
    WindowCheck tokens = new WindowCheck();
    WindowCheck requests = new WindowCheck();
    Instant now = T0;
    for (Op op : ops) {
      now = now.plusMillis(op.advanceMillis());
      Step<Admission> step =
          core.reserve(state, Caller.of("a", now), KEY, "r", Demand.ofCall(op.amount(), 0));
      state = step.next();
      if (step.result().isGranted()) {
        tokens.add(now, op.amount());
        requests.add(now, 1);
      }
    }

    assertThat(tokens.violation(tokenCapacity, SECOND)).isEmpty();
    assertThat(requests.violation(requestCapacity, SECOND)).isEmpty();
  }

  @Property(tries = 300)
  void refundsNeverCreateCapacityBeyondTheBucketSize(
      @ForAll("exactCapacity") long capacity, @ForAll("ops") List<Op> ops) {
    LimitCore core =
        new LimitCore(
            RateLimits.builder()
                .bucket(Meter.INPUT_TOKENS, capacity, SECOND)
                .outputAccounting(OutputAccounting.ACTUAL)
                .build(),
            LimiterSettings.defaults());
    LimitState state = LimitState.EMPTY;
    WindowCheck net = new WindowCheck();
    Deque<Reservation> open = new ArrayDeque<>();
    Instant now = T0;
    for (Op op : ops) {
      now = now.plusMillis(op.advanceMillis());
      Caller caller = Caller.of("a", now);
      if (op.action() < 5 || open.isEmpty()) {
        long amount = Math.min(capacity, op.amount());
        Step<Admission> step = core.reserve(state, caller, KEY, "r", Demand.ofCall(amount, 0));
        state = step.next();
        if (step.result() instanceof Admission.Granted granted) {
          open.addLast(granted.reservation());
          net.add(now, amount);
        }
      } else {
        Reservation reservation = open.removeFirst();
        long reserved = reservation.reserved().inputTokens();
        long used = reserved * op.usedPercent() / 100;
        state =
            core.settle(
                state,
                caller,
                reservation,
                core.finalCharge(reservation, new TokenUsage(used, 0)),
                true);
        net.add(now, used - reserved);
      }
      long tat = state.tat("INPUT_TOKENS/1s");
      assertThat(Gcra.available(tat, Gcra.nanos(now), capacity, SECOND.toNanos()))
          .isLessThanOrEqualTo(capacity);
    }

    assertThat(net.violation(capacity, SECOND)).isEmpty();
  }

  @Property(tries = 200)
  void instancesSharingOneCoreStateNeverExceedTheLimit(
      @ForAll("exactCapacity") long capacity, @ForAll("ops") List<Op> ops) {
    LimitCore core =
        new LimitCore(
            RateLimits.builder().bucket(Meter.TOKENS, capacity, SECOND).build(),
            LimiterSettings.defaults());
    LimitState state = LimitState.EMPTY;
    WindowCheck tokens = new WindowCheck();
    boolean admittedBesideAnEarmark = false;
    Instant now = T0;
    for (Op op : ops) {
      now = now.plusMillis(op.advanceMillis());
      Caller caller = Caller.of("instance-" + op.actor(), now);
      if (op.action() == 0) {
        state = core.leave(state, caller.instanceId());
      } else if (op.action() == 1) {
        state = core.heartbeat(state, caller);
      } else {
        long amount = Math.min(capacity, op.amount());
        boolean otherEarmarked =
            state.earmark().filter(w -> !w.owner().equals(caller.instanceId())).isPresent();
        Step<Admission> step = core.reserve(state, caller, KEY, "r", Demand.ofCall(amount, 0));
        state = step.next();
        if (step.result().isGranted()) {
          tokens.add(now, amount);
          admittedBesideAnEarmark |= otherEarmarked;
        }
      }
      assertThat(state.members().values().stream().mapToDouble(m -> m.fallbackShare()).sum())
          .isLessThanOrEqualTo(1.0 + 1e-9);
    }

    // the shared queue is exercised: some admissions had to leave room for another's demand
    Statistics.label("admitted beside another instance's earmark").collect(admittedBesideAnEarmark);
    Statistics.label("admitted beside another instance's earmark")
        .coverage(coverage -> coverage.check(true).percentage(p -> p >= 10));
    assertThat(tokens.violation(capacity, SECOND)).isEmpty();
  }

  /**
   * Three limiters share an in-memory store; any of them may lose it at any time, admit from its
   * local fallback share, and get it back. Together they never exceed the limit.
   */
  @Property(tries = 500)
  void instancesSharingAStoreNeverExceedTheLimitEvenWhenSomeLoseIt(@ForAll("ops") List<Op> ops) {
    RateLimits limits =
        RateLimits.builder()
            .bucket(Meter.REQUESTS, 20, SECOND)
            .bucket(Meter.TOKENS, 1_000, SECOND)
            .build();
    ManualClock clock = new ManualClock(T0);
    InMemoryLimitStore shared = new InMemoryLimitStore();
    List<SwitchableStore> stores = new ArrayList<>();
    List<RateLimiter> limiters = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      SwitchableStore store = new SwitchableStore(shared);
      stores.add(store);
      limiters.add(
          RateLimiter.builder()
              .store(store)
              .clock(clock)
              .instanceId("instance-" + i)
              .limits(KEY, limits)
              .build());
    }
    List<Deque<Reservation>> open =
        List.of(new ArrayDeque<>(), new ArrayDeque<>(), new ArrayDeque<>());
    WindowCheck tokens = new WindowCheck();
    WindowCheck requests = new WindowCheck();
    int fallbackGrants = 0;
    for (Op op : ops) {
      clock.advanceMillis(op.advanceMillis());
      RateLimiter limiter = limiters.get(op.actor());
      switch (op.action()) {
        case 0 -> stores.get(op.actor()).down();
        case 1 -> {
          if (op.usedPercent() < 30) {
            stores.get(op.actor()).up();
          }
        }
        case 2 -> limiters.forEach(RateLimiter::heartbeat);
        case 3 -> {
          if (!open.get(op.actor()).isEmpty()) {
            limiter.keepCharged(open.get(op.actor()).removeFirst());
          }
        }
        default -> {
          // A busy worker: takes everything it is given.
          Admission admission;
          while ((admission = limiter.tryReserve(KEY, Demand.ofCall(op.amount(), 0)))
              instanceof Admission.Granted granted) {
            open.get(op.actor()).addLast(granted.reservation());
            tokens.add(granted.reservation().admittedAt(), op.amount());
            requests.add(granted.reservation().admittedAt(), 1);
            fallbackGrants +=
                granted.reservation().source() == Reservation.Source.LOCAL_FALLBACK ? 1 : 0;
          }
        }
      }
    }

    Statistics.label("admitted from a local fallback share").collect(fallbackGrants > 0);
    Statistics.label("admitted from a local fallback share")
        .coverage(coverage -> coverage.check(true).percentage(p -> p >= 15));
    assertThat(tokens.violation(1_000, SECOND)).isEmpty();
    assertThat(requests.violation(20, SECOND)).isEmpty();
  }

  /**
   * Whatever the headers say (a shorter window, less or more remaining than the local view, any
   * reset, 429s) and whatever usage reconciliation reports (the bias learned from it), the limiter
   * admits no more than the configured limit: the learned window only narrows the burst, the unseen
   * share only raises the cost of an admission, the bias only raises a reservation, and a new
   * window keeps what the bucket holds.
   */
  @Property(tries = 300)
  void learningFromHeadersAndUsageNeverAdmitsMoreThanTheLimit(
      @ForAll("exactCapacity") long capacity, @ForAll("ops") List<Op> ops) {
    LimitCore core =
        new LimitCore(
            RateLimits.builder()
                .bucket(Meter.TOKENS, capacity, SECOND)
                .outputAccounting(OutputAccounting.RESERVED)
                .build(),
            LimiterSettings.defaults()
                .withCallDelay(Duration.ofMillis(100))
                .withBiasLearning(new LimiterSettings.BiasLearning(0.8, 2.0, 0.5, 0.5, 1))
                .withAdaptation(
                    new LimiterSettings.Adaptation(true, Duration.ofMillis(500), 0.01, 0.9)));
    LimitState state = LimitState.EMPTY;
    WindowCheck net = new WindowCheck();
    Deque<Reservation> open = new ArrayDeque<>();
    boolean learned = false;
    Instant now = T0;
    for (Op op : ops) {
      now = now.plusMillis(op.advanceMillis() / 3);
      Caller caller = Caller.of(op.actor() == 0 ? "a" : "b", now);
      // usually a shorter window (remaining + refill until reset below the capacity), sometimes
      // more remaining than the local view, sometimes none
      long remaining = capacity * op.usedPercent() / 120;
      ProviderRateLimitReport report =
          ProviderRateLimitReport.builder()
              .tokens(capacity, remaining, now.plusMillis(op.amount() * 3))
              .build();
      switch (op.action()) {
        case 6 -> state = core.calibrate(state, caller, report).next();
        case 7 -> state = core.rateLimited(state, caller, null, report);
        case 8, 9 -> {
          if (!open.isEmpty()) {
            Reservation reservation = open.removeFirst();
            long reserved = reservation.reserved().inputTokens();
            long used = reservation.estimated().inputTokens() * (50 + op.usedPercent()) / 100;
            state = core.reconcile(state, caller, reservation, new TokenUsage(used, 0), true);
            // what the limiter admitted: reservations less refunds (an overshoot is the caller's)
            net.add(now, Math.min(0, used - reserved));
          }
        }
        default -> {
          long amount = Math.min(capacity, op.amount());
          Step<Admission> step = core.reserve(state, caller, KEY, "r", Demand.ofCall(amount, 0));
          state = step.next();
          if (step.result() instanceof Admission.Granted granted) {
            open.addLast(granted.reservation());
            net.add(now, granted.reservation().reserved().inputTokens());
          }
        }
      }
      LimitState.Drift drift = state.drift("TOKENS/1s");
      learned |= drift.windowNanos() > 0 || drift.unseenShare() > 0;
    }

    Statistics.label("learned a window or an unseen share").collect(learned);
    Statistics.label("learned a window or an unseen share")
        .coverage(coverage -> coverage.check(true).percentage(p -> p >= 30));
    assertThat(net.violation(capacity, SECOND)).isEmpty();
  }
}
