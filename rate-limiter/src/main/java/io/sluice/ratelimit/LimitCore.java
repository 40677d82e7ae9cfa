package io.sluice.ratelimit;

import static io.sluice.ratelimit.internal.Gcra.nanos;

import io.sluice.ratelimit.LimitState.Drift;
import io.sluice.ratelimit.LimitState.EstimateBias;
import io.sluice.ratelimit.LimitState.Member;
import io.sluice.ratelimit.LimitState.Throttle;
import io.sluice.ratelimit.LimitState.Waiter;
import io.sluice.ratelimit.ProviderRateLimitReport.Observation;
import io.sluice.ratelimit.internal.Gcra;
import io.sluice.ratelimit.internal.ProviderDrift;
import io.sluice.schemas.job.TokenUsage;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The rate limiter's arithmetic: pure functions from a {@link LimitState} to the next one, for one
 * key's {@link RateLimits}. No clock, no I/O, no locks: the caller passes the time in {@link
 * Caller#now()} and makes each step atomic (a {@link LimitStore} does).
 *
 * <p>Every bucket is a GCRA token bucket that refills continuously. A reservation is admitted when
 * every bucket holds its share of the demand, otherwise the answer is the earliest instant they all
 * will. A bucket's tat runs at most one period less {@link LimiterSettings#callDelay()} ahead of
 * now, so that a provider counting each call up to that much later never sees more than its limit.
 * Every step also records the calling instance as alive; instances silent for longer than {@link
 * LimiterSettings#staleAfter()} may be admitting from their local fallback share, so the others
 * admit that much less until {@link LimiterSettings#fallbackFor()} has passed too.
 */
public final class LimitCore {
  private final RateLimits limits;
  private final LimiterSettings settings;

  public LimitCore(RateLimits limits, LimiterSettings settings) {
    this.limits = Objects.requireNonNull(limits, "limits");
    this.settings = Objects.requireNonNull(settings, "settings");
  }

  public RateLimits limits() {
    return limits;
  }

  /**
   * Admits {@code estimate} now and charges every bucket, or says when it could be admitted. The
   * input tokens charged are the estimate corrected by the learned bias ({@link
   * LimitState#bias()}). The oldest deferred demand has capacity set aside: any other demand is
   * admitted only if it leaves room for that one. A deferred demand takes (or keeps) its place in
   * the shared queue of waiters, and the answer says whether it holds it ({@link
   * Admission.Deferred#holdsPlace()}).
   *
   * @param reservationId the ID the reservation gets if granted
   */
  public Step<Admission> reserve(
      LimitState state, Caller caller, LimitKey key, String reservationId, Demand estimate) {
    LimitState touched = touch(state, caller);
    Instant now = caller.now();
    Demand demand = corrected(touched, estimate);
    Optional<Admission> blocked = blocker(touched, caller, demand);
    if (blocked.isPresent()) {
      LimitState queued = queued(touched, caller, estimate, blocked.get());
      return new Step<>(queued, withPlace(blocked.get(), queued, caller, estimate));
    }
    double factor = admissionFactor(touched, caller);
    Map<String, Long> tats = new HashMap<>();
    for (BucketLimit bucket : limits.buckets()) {
      long amount = bucket.meter().amountOf(demand);
      if (amount > 0) {
        long cost =
            Gcra.cost(
                amount,
                bucket.capacity(),
                bucket.periodNanos(),
                bucketFactor(touched, bucket, now, factor));
        long start = Math.max(touched.tat(bucket.id()), nanos(now));
        tats.put(bucket.id(), Gcra.saturatedAdd(start, cost));
      }
    }
    Member self = touched.members().get(caller.instanceId());
    LimitState next =
        touched
            .withTats(tats)
            .withMember(
                caller.instanceId(),
                new Member(self.lastSeen(), self.inFlight() + 1, self.fallbackShare()));
    // the instance's turn is served: its other waiting demands queue again from the back
    next = next.withWaiters(without(next.waiters(), w -> w.owner().equals(caller.instanceId())));
    Reservation reservation =
        new Reservation(
            reservationId,
            key,
            caller.instanceId(),
            demand,
            now,
            Reservation.Source.SHARED,
            0,
            estimate);
    return new Step<>(next, new Admission.Granted(reservation));
  }

  /**
   * When {@code estimate} could be admitted: {@code now} if at once, {@link Instant#MAX} if never.
   * Changes nothing.
   */
  public Instant earliestAdmission(LimitState state, Caller caller, Demand estimate) {
    LimitState touched = touch(state, caller);
    return blocker(touched, caller, corrected(touched, estimate))
        .map(
            admission ->
                switch (admission) {
                  case Admission.Deferred deferred -> deferred.notBefore();
                  case Admission.Refused refused -> Instant.MAX;
                  case Admission.Granted granted -> caller.now();
                })
        .orElse(caller.now());
  }

  /**
   * What is reserved for {@code estimate}: its input tokens multiplied by the learned bias, rounded
   * up, and never more than the buckets that count input can hold beside the rest of the demand
   * (the provider would refuse a larger call anyway; the estimate itself is never cut); and its
   * output at most what a learned shorter window of an output bucket holds ({@link
   * #outputWithinWindow}).
   */
  public Demand corrected(LimitState state, Demand estimate) {
    double factor = state.bias().factor();
    if (factor == 1.0 || estimate.inputTokens() == 0) {
      return outputWithinWindow(state, estimate);
    }
    long input = (long) Math.ceil(estimate.inputTokens() * factor);
    if (factor > 1.0) {
      input = Math.max(estimate.inputTokens(), Math.min(input, inputRoom(estimate)));
    }
    return outputWithinWindow(
        state, new Demand(estimate.requests(), input, estimate.outputTokens()));
  }

  /**
   * The demand with its output at most what the shortest learned window of an output bucket holds,
   * where the provider adjusts output to the actual count ({@link OutputAccounting#ACTUAL}): such a
   * provider estimates a call's output at admission from {@code max_tokens}, at most its window (or
   * counts it only as it is produced), so reserving more only holds every other call back until the
   * refund — at Anthropic's output limit enforced per second (133 tokens), a call asking for 885
   * held the others for 6.6 s, against a second at the provider. What the call produces beyond it
   * is charged when it is reconciled.
   */
  private Demand outputWithinWindow(LimitState state, Demand demand) {
    if (limits.outputAccounting() != OutputAccounting.ACTUAL || demand.outputTokens() == 0) {
      return demand;
    }
    long output = demand.outputTokens();
    for (BucketLimit bucket : limits.buckets()) {
      if (bucket.meter() == Meter.OUTPUT_TOKENS) {
        long window = ProviderDrift.windowNanos(bucket, state.drift(bucket.id()));
        if (window < bucket.periodNanos()) {
          output = Math.min(output, ProviderDrift.windowCapacity(bucket, window));
        }
      }
    }
    return output == demand.outputTokens()
        ? demand
        : new Demand(demand.requests(), demand.inputTokens(), output);
  }

  /**
   * Settles a call with its actual usage ({@link #finalCharge}) and, when its capacity came from
   * this state, learns the estimate's bias from it: the ratio of actual to estimated input tokens
   * moves the shared factor ({@link LimiterSettings.BiasLearning}).
   */
  public LimitState reconcile(
      LimitState state,
      Caller caller,
      Reservation reservation,
      TokenUsage actual,
      boolean refundsAllowed) {
    LimitState settled =
        settle(state, caller, reservation, finalCharge(reservation, actual), refundsAllowed);
    if (!refundsAllowed) {
      return settled;
    }
    EstimateBias bias = settled.bias();
    double factor =
        settings
            .biasLearning()
            .learn(bias.factor(), reservation.estimated().inputTokens(), actual.inputTokens());
    return settled.withBias(new EstimateBias(factor, bias.samples() + 1));
  }

  /**
   * Settles a finished reservation: charges what was used beyond the reservation, gives back what
   * was not (a bucket never holds more than its capacity) and frees its concurrency slot.
   *
   * @param charged what the call finally counts against the limits
   * @param refundsAllowed {@code false} for reservations whose capacity never came from this state
   *     (admitted from a local fallback share): then only the overshoot is charged
   */
  public LimitState settle(
      LimitState state,
      Caller caller,
      Reservation reservation,
      Demand charged,
      boolean refundsAllowed) {
    LimitState touched = touch(state, caller);
    long now = nanos(caller.now());
    Map<String, Long> tats = new HashMap<>();
    for (BucketLimit bucket : limits.buckets()) {
      long delta =
          bucket.meter().amountOf(charged) - bucket.meter().amountOf(reservation.reserved());
      long tat = touched.tat(bucket.id());
      if (delta > 0) {
        long cost = Gcra.cost(delta, bucket.capacity(), bucket.periodNanos(), 1.0);
        tats.put(bucket.id(), Gcra.saturatedAdd(Math.max(tat, now), cost));
      } else if (delta < 0 && refundsAllowed && tat > now) {
        long refund = Gcra.refund(-delta, bucket.capacity(), bucket.periodNanos());
        tats.put(bucket.id(), Math.max(now, tat - refund));
      }
    }
    Member self = touched.members().get(caller.instanceId());
    return touched
        .withTats(tats)
        .withMember(
            caller.instanceId(),
            new Member(self.lastSeen(), Math.max(0, self.inFlight() - 1), self.fallbackShare()));
  }

  /**
   * What a finished call counts against the limits: its actual input, and its actual output where
   * the provider adjusts to it ({@link OutputAccounting#ACTUAL}) or the reserved output where it
   * keeps {@code max_tokens} charged ({@link OutputAccounting#RESERVED}).
   */
  public Demand finalCharge(Reservation reservation, TokenUsage actual) {
    long output =
        limits.outputAccounting() == OutputAccounting.ACTUAL
            ? actual.outputTokens()
            : Math.max(reservation.reserved().outputTokens(), actual.outputTokens());
    return new Demand(reservation.reserved().requests(), actual.inputTokens(), output);
  }

  /**
   * Lowers the local view to what the provider reports as remaining, where it lies more than the
   * calibration tolerance below: that difference is traffic from other clients on the account.
   * Never raises the view.
   */
  public Step<Calibration> calibrate(
      LimitState state, Caller caller, ProviderRateLimitReport report) {
    LimitState next = touch(state, caller);
    List<String> lowered = new ArrayList<>();
    List<String> mismatches = new ArrayList<>();
    for (Map.Entry<Meter, Observation> entry : report.observations().entrySet()) {
      Optional<BucketLimit> bucket = limits.shortestBucket(entry.getKey());
      if (bucket.isEmpty()) {
        continue;
      }
      Observation observation = entry.getValue();
      if (observation.limit() != null && observation.limit() < bucket.get().capacity()) {
        mismatches.add(bucket.get().id());
      }
      LimitState calibrated =
          calibrated(
              next,
              bucket.get(),
              observation,
              caller.now(),
              report.observedAt(),
              chargedAtAdmission(bucket.get(), report.admittedCall()));
      if (calibrated.tat(bucket.get().id()) != next.tat(bucket.get().id())) {
        lowered.add(bucket.get().id());
      }
      next = calibrated;
    }
    return new Step<>(next, new Calibration(lowered, mismatches));
  }

  /**
   * One bucket calibrated from one observation: first the window the provider enforces it over is
   * learned from {@code remaining} and {@code reset} ({@link ProviderDrift#learnWindow}), then the
   * local view of that window is lowered to the reported remainder where it lies above it by more
   * than the tolerance, and the amount it was lowered by teaches the share of the rate that traffic
   * unseen here uses ({@link ProviderDrift#learnShare}).
   */
  private LimitState calibrated(
      LimitState state,
      BucketLimit bucket,
      Observation observation,
      Instant at,
      Instant observedAt,
      long charged) {
    long now = nanos(at);
    // The provider counted these figures when the call arrived, up to its whole latency ago: its
    // bucket has refilled since, and its reset is counted from then.
    long observed = observedAt == null ? now : Math.min(now, nanos(observedAt));
    LimiterSettings.Adaptation adaptation = settings.adaptation();
    Drift drift = state.drift(bucket.id());
    long deadband =
        ProviderDrift.deadband(bucket, observation.remaining(), settings.calibrationTolerance());
    boolean showsFixed = ProviderDrift.showsFixedWindow(bucket, observation, observed, adaptation);
    Instant fixedSeen = showsFixed ? at : drift.fixedSeen();
    // A fixed window's remainder shrinks towards its reset without the bucket being any shorter:
    // it teaches no window and no share, only the level.
    boolean fixed = showsFixed || ProviderDrift.fixedWindow(bucket, drift, now);
    long window =
        fixed
            ? 0
            : ProviderDrift.learnWindow(
                bucket,
                drift.windowNanos(),
                observation.remaining(),
                observation.reset(),
                observed,
                deadband,
                charged,
                adaptation);
    boolean newWindow = window != drift.windowNanos();
    boolean bounded = bounded(window, newWindow, observation.remaining(), drift);
    long margin =
        newWindow && window > 0
            ? settings.learnedMarginNanos(
                window, bounded ? 0 : ProviderDrift.windowUncertaintyNanos(observation))
            : drift.marginNanos();
    Drift framed = new Drift(window, 0, at, Instant.EPOCH, Instant.EPOCH, margin, bounded);
    long windowNanos = ProviderDrift.windowNanos(bucket, framed);
    long tat = state.tat(bucket.id());
    long shifted =
        newWindow
            ? ProviderDrift.reframed(
                tat,
                now,
                settings.toleranceNanos(bucket, drift),
                settings.toleranceNanos(bucket, framed))
            : tat;
    long correction = 0;
    long newTat = shifted;
    long untilReset =
        observation.reset() == null ? 0 : ProviderDrift.resetNanos(observation.reset()) - now;
    // A fixed window's report whose reset has passed speaks of a window that is over.
    if (observation.remaining() != null && (!fixed || untilReset > 0)) {
      long cap = ProviderDrift.windowCapacity(bucket, windowNanos);
      long refilled = Gcra.refund(now - observed, bucket.periodNanos(), bucket.capacity());
      long slack = ProviderDrift.roundingSlack(bucket, observation.remaining());
      long remaining =
          fixed
              ? ProviderDrift.fixedWindowRemaining(bucket, observation.remaining(), untilReset)
              : Math.max(0, Math.min(cap, Gcra.saturatedAdd(observation.remaining(), refilled)));
      long local = ProviderDrift.available(bucket, windowNanos, shifted, now);
      long tolerance = (long) Math.ceil(settings.calibrationTolerance() * bucket.capacity());
      if (local > remaining + tolerance) {
        long target =
            now + windowNanos - Gcra.refund(remaining, bucket.capacity(), bucket.periodNanos());
        newTat = Math.max(shifted, target);
        // A remainder rounded to thousands is too coarse to learn a rate from where the window
        // holds less than four times the rounding (an output window of 1,333 reads 0, 1,000 or
        // 2,000): it still lowers the level, but teaches no share. Nor does a window only bounded
        // from above: the view of it may hold more than the provider's window ever does, so a
        // remainder below the view says as much about the window's size as about other traffic
        // (at per-second windows read as 4.5 s, a share of 38% was learned from nobody's calls).
        boolean coarse = slack * 4 > cap;
        boolean learns = !fixed && !newWindow && !coarse && !bounded;
        // The level goes down to the remainder as reported (the safe side). Over the bucket's whole
        // period the rate is learned only from what the provider certainly did not have: a
        // remainder rounded to thousands may hide up to 500 more, and counting those taught a
        // share of other traffic that was not there (in a benchmark, one rounded remainder 707
        // under the local view: 14% of the rate held back, fading over minutes). Within a shorter
        // window the rounding is a tenth of what the window holds or more, and the share it
        // teaches is margin that pacing there needs (AnthropicHeadersCalibrationTest, 10 s
        // windows: 2 of 358 calls refused after the first minute without it, against 1 of 369).
        long hidden = windowNanos < bucket.periodNanos() ? 0 : slack;
        long certain = local - Gcra.saturatedAdd(remaining, hidden);
        correction = learns && certain > Math.max(tolerance, deadband - hidden) ? certain : 0;
      }
    }
    // What looked like unseen traffic before the window showed itself fixed was its shape.
    double share =
        fixed
            ? 0
            : ProviderDrift.learnShare(
                bucket,
                ProviderDrift.unseenShare(drift, at, adaptation),
                correction,
                Duration.between(drift.since(), at),
                adaptation);
    LimitState next = newTat == tat ? state : state.withTats(Map.of(bucket.id(), newTat));
    Instant fixedReset =
        fixed && observation.reset() != null
            ? Gcra.instant(ProviderDrift.resetNanos(observation.reset()))
            : Instant.EPOCH;
    return next.withDrift(
        Map.of(bucket.id(), new Drift(window, share, at, fixedSeen, fixedReset, margin, bounded)));
  }

  /**
   * What the provider certainly charged an admitted call on this bucket before writing its report:
   * the output it asked for ({@code max_tokens}), which both sides know exactly, at most the
   * provider's window. Other meters are counted by the provider its own way (input) or not rounded
   * (requests); 0 where nothing is known.
   */
  private static long chargedAtAdmission(BucketLimit bucket, Demand admittedCall) {
    return admittedCall == null || bucket.meter() != Meter.OUTPUT_TOKENS
        ? 0
        : admittedCall.outputTokens();
  }

  /**
   * Whether the bucket's window is only bounded from above after a report: an exhausted meter that
   * taught a new window bounds it; one with a remainder taught or confirmed it (within 25%); a
   * report without a remainder says nothing.
   */
  private static boolean bounded(long window, boolean newWindow, Long remaining, Drift drift) {
    if (window == 0) {
      return false;
    }
    if (remaining == null || remaining == 0) {
      return remaining != null && newWindow || drift.windowBounded();
    }
    return false;
  }

  /**
   * The provider answered 429: calibrate from its headers, pause admission until its retry hint
   * (else the reset of an exhausted meter, else {@link LimiterSettings#defaultRetryAfter()}) and
   * lower the admission rate, once per {@link LimiterSettings#callDelay()}: the 429s of calls
   * admitted before the last decrease say nothing new. Each decrease also widens the margin of the
   * buckets enforced over a window shorter than their period ({@link
   * LimiterSettings#widenedMarginNanos}): such a 429 most likely met a window the limiter's view
   * held full a little before the provider's.
   *
   * @param retryAfter the provider's retry hint, or {@code null}
   */
  public LimitState rateLimited(
      LimitState state, Caller caller, Duration retryAfter, ProviderRateLimitReport report) {
    LimitState calibrated = calibrate(state, caller, report).next();
    Instant now = caller.now();
    Instant pause = now.plus(pauseFor(retryAfter, report, now));
    Instant until = pause.isAfter(calibrated.pausedUntil()) ? pause : calibrated.pausedUntil();
    Throttle throttle = calibrated.throttle();
    if (now.isBefore(throttle.since().plus(settings.callDelay()))) {
      // Calls admitted before the last decrease reach the provider up to callDelay after it: their
      // 429s answer the old rate, which is lowered already.
      return calibrated.withPause(until, throttle);
    }
    double current = throttle.factorAt(now, settings.throttleRecoveryPerSecond());
    double lowered = Math.max(settings.throttleFloor(), current * settings.throttleDecrease());
    return withWiderMargins(calibrated, state).withPause(until, new Throttle(lowered, now));
  }

  /**
   * {@code calibrated} with the margins widened of the buckets enforced over a short window that
   * was known before this 429 ({@code before}): a 429 that taught the window answers a call
   * admitted without it.
   */
  private LimitState withWiderMargins(LimitState calibrated, LimitState before) {
    Map<String, Drift> widened = new HashMap<>();
    for (BucketLimit bucket : limits.buckets()) {
      Drift drift = calibrated.drift(bucket.id());
      long window = drift.windowNanos();
      if (window > 0
          && window < bucket.periodNanos()
          && window == before.drift(bucket.id()).windowNanos()) {
        widened.put(bucket.id(), drift.withMargin(settings.widenedMarginNanos(bucket, drift)));
      }
    }
    return widened.isEmpty() ? calibrated : calibrated.withDrift(widened);
  }

  /** Records the instance as alive (a heartbeat). */
  public LimitState heartbeat(LimitState state, Caller caller) {
    return touch(state, caller);
  }

  /** Removes an instance that shuts down: its fallback share goes back to the others at once. */
  public LimitState leave(LimitState state, String instanceId) {
    Map<String, Member> members = new HashMap<>(state.members());
    members.remove(instanceId);
    return state
        .withMembers(members)
        .withWaiters(without(state.waiters(), w -> w.owner().equals(instanceId)));
  }

  /** The fallback share the state records for an instance (0 if it is unknown). */
  public static double fallbackShare(LimitState state, String instanceId) {
    Member member = state.members().get(instanceId);
    return member == null ? 0.0 : member.fallbackShare();
  }

  /** A state whose buckets are all empty at {@code now}: where a local fallback share starts. */
  public LimitState drainedAt(Instant now) {
    Map<String, Long> tats = new HashMap<>();
    for (BucketLimit bucket : limits.buckets()) {
      tats.put(bucket.id(), nanos(now) + bucket.periodNanos());
    }
    return LimitState.EMPTY.withTats(tats);
  }

  /**
   * What a calibration changed.
   *
   * @param lowered buckets whose local view was lowered to the provider's remaining capacity
   * @param limitMismatches buckets for which the provider reports a lower limit than configured
   */
  public record Calibration(List<String> lowered, List<String> limitMismatches) {
    public Calibration {
      lowered = List.copyOf(lowered);
      limitMismatches = List.copyOf(limitMismatches);
    }
  }

  private Optional<Admission> blocker(LimitState touched, Caller caller, Demand demand) {
    Instant now = caller.now();
    Optional<Admission> refused = tooLarge(demand);
    if (refused.isPresent()) {
      return refused;
    }
    if (touched.pausedUntil().isAfter(now)) {
      return Optional.of(new Admission.Deferred(touched.pausedUntil(), "paused"));
    }
    if (limits.limitsConcurrency()
        && concurrencyInUse(touched, caller) >= limits.maxConcurrency()) {
      return Optional.of(
          new Admission.Deferred(now.plus(settings.concurrencyRetry()), "concurrency"));
    }
    double factor = admissionFactor(touched, caller);
    if (factor <= 0) {
      return Optional.of(
          new Admission.Deferred(firstStaleExpiry(touched, caller), "unreachable-instances"));
    }
    return bucketBlocker(touched, now, demand, earmarkedFor(touched, caller), factor);
  }

  /**
   * The demand set aside for the oldest waiter, as the caller must leave room for it: empty when
   * there is none or when the caller is that waiter's instance. The turn is the instance's: which
   * of its tasks asks first is the worker's choice, and any of them is admitted as soon as the
   * bucket holds it, which ends the turn.
   */
  private Optional<Demand> earmarkedFor(LimitState touched, Caller caller) {
    return touched
        .earmark()
        .filter(waiter -> !waiter.owner().equals(caller.instanceId()))
        .map(waiter -> corrected(touched, waiter.demand()));
  }

  /**
   * A deferred demand takes its instance's place in the queue of waiters, or keeps it: each
   * instance has at most one place, dated from its first deferral and holding the largest demand it
   * was deferred for since. Every deferral of the instance renews the place until {@link
   * LimiterSettings#waiterGrace()} after the instant it was told to ask again (a larger demand also
   * takes the place over), so the place lives while the instance keeps asking and lapses when it
   * stops; an admission of any of its demands ends it. Demands blocked by the concurrency cap or
   * silent instances wait without a place: no capacity set aside would bring them sooner.
   */
  private LimitState queued(
      LimitState touched, Caller caller, Demand estimate, Admission admission) {
    if (!(admission instanceof Admission.Deferred deferred)
        || deferred.blockedBy().equals("concurrency")
        || deferred.blockedBy().equals("unreachable-instances")) {
      return touched;
    }
    Instant now = caller.now();
    Instant retry = deferred.notBefore().isAfter(now) ? deferred.notBefore() : now;
    Instant expiresAt = retry.plus(settings.waiterGrace());
    String owner = caller.instanceId();
    Optional<Waiter> place =
        touched.waiters().stream().filter(w -> w.owner().equals(owner)).findFirst();
    if (place.isEmpty()) {
      return touched.waiters().size() < settings.maxWaiters()
          ? touched.withWaiters(
              with(touched.waiters(), new Waiter(owner, estimate, now, expiresAt)))
          : touched;
    }
    Waiter current = place.get();
    Demand larger =
        estimate.totalTokens() + estimate.requests()
                > current.demand().totalTokens() + current.demand().requests()
            ? estimate
            : current.demand();
    Instant later = expiresAt.isAfter(current.expiresAt()) ? expiresAt : current.expiresAt();
    List<Waiter> others = without(touched.waiters(), w -> w.owner().equals(owner));
    return touched.withWaiters(with(others, new Waiter(owner, larger, current.since(), later)));
  }

  /** The deferral, saying whether {@code estimate} holds the caller's place in the queue. */
  private static Admission withPlace(
      Admission admission, LimitState queued, Caller caller, Demand estimate) {
    if (!(admission instanceof Admission.Deferred deferred)) {
      return admission;
    }
    boolean holds =
        queued.waiters().stream()
            .anyMatch(w -> w.owner().equals(caller.instanceId()) && w.demand().equals(estimate));
    return holds
        ? new Admission.Deferred(deferred.notBefore(), deferred.blockedBy(), true)
        : deferred;
  }

  private static List<Waiter> with(List<Waiter> waiters, Waiter waiter) {
    List<Waiter> more = new ArrayList<>(waiters);
    more.add(waiter);
    return more;
  }

  private static List<Waiter> without(List<Waiter> waiters, Predicate<Waiter> gone) {
    List<Waiter> kept = new ArrayList<>(waiters.size());
    for (Waiter waiter : waiters) {
      if (!gone.test(waiter)) {
        kept.add(waiter);
      }
    }
    return kept.size() == waiters.size() ? waiters : kept;
  }

  /** Input tokens the buckets that count input can hold beside the rest of {@code demand}. */
  private long inputRoom(Demand demand) {
    long room = Long.MAX_VALUE;
    for (BucketLimit bucket : limits.buckets()) {
      long rest = bucket.meter().amountOf(new Demand(demand.requests(), 0, demand.outputTokens()));
      if (bucket.meter() == Meter.TOKENS || bucket.meter() == Meter.INPUT_TOKENS) {
        room = Math.min(room, bucket.capacity() - rest);
      }
    }
    return room;
  }

  private Optional<Admission> tooLarge(Demand demand) {
    for (BucketLimit bucket : limits.buckets()) {
      long amount = bucket.meter().amountOf(demand);
      if (amount > bucket.capacity()) {
        return Optional.of(
            new Admission.Refused(
                "demand of "
                    + amount
                    + " exceeds bucket "
                    + bucket.id()
                    + " of capacity "
                    + bucket.capacity()));
      }
    }
    return Optional.empty();
  }

  /**
   * The instant every bucket holds {@code demand}, and with {@code earmark} beside it the room for
   * that too: a demand that must leave room is admitted only if the earmarked one still fits right
   * after it (no credit for a bucket that has been full for a while, which an admission would use
   * up).
   */
  private Optional<Admission> bucketBlocker(
      LimitState touched, Instant now, Demand demand, Optional<Demand> earmark, double factor) {
    long nowNanos = nanos(now);
    long notBefore = nowNanos;
    String blockedBy = null;
    for (BucketLimit bucket : limits.buckets()) {
      long amount = bucket.meter().amountOf(demand);
      if (amount == 0) {
        continue;
      }
      double bucketFactor = bucketFactor(touched, bucket, now, factor);
      Drift drift = touched.drift(bucket.id());
      long window = ProviderDrift.windowNanos(bucket, drift);
      long tolerance = settings.toleranceNanos(bucket, drift);
      // A call larger than what the provider's window holds is admitted there once the window is
      // full, and leaves it in debt: it waits for a full window here too, not for its own size.
      // Where the window is only bounded from above, any call may be larger than the provider's.
      long cost =
          drift.windowBounded()
              ? window
              : Math.min(
                  window, Gcra.cost(amount, bucket.capacity(), bucket.periodNanos(), bucketFactor));
      long tat = touched.tat(bucket.id());
      long earliest =
          earmark.isEmpty() || earmarkWaitsForTheNextWindow(touched, bucket, earmark.get(), now)
              ? Gcra.earliest(tat, nowNanos, cost, tolerance)
              : Gcra.earliestBehind(
                  tat,
                  nowNanos,
                  cost,
                  Math.min(window, earmarkCost(bucket, earmark.get(), bucketFactor)),
                  tolerance);
      if (earliest > notBefore) {
        notBefore = earliest;
        blockedBy = bucket.id();
      }
    }
    return blockedBy == null
        ? Optional.empty()
        : Optional.of(new Admission.Deferred(Gcra.instant(notBefore), blockedBy));
  }

  /**
   * Whether a bucket counted in fixed windows cannot hold the earmarked demand before its window
   * ends: the view spreads what the provider's counter has left up to its reset, and what is left
   * there is gone at the reset. Setting room aside for a demand that waits for the next window
   * anyway would waste the rest of this one, so smaller demands that fit may use it; the earmark
   * applies again from the reset. Without this a fixed minute of Anthropic's tier 1 (30,000 input
   * tokens, about fifteen calls) lost about half a call at every boundary.
   */
  private boolean earmarkWaitsForTheNextWindow(
      LimitState touched, BucketLimit bucket, Demand earmark, Instant now) {
    Drift drift = touched.drift(bucket.id());
    long nowNanos = nanos(now);
    long reset = nanos(drift.fixedReset());
    if (reset <= nowNanos || !ProviderDrift.fixedWindow(bucket, drift, nowNanos)) {
      return false;
    }
    long window = ProviderDrift.windowNanos(bucket, drift);
    long cost = Math.min(window, earmarkCost(bucket, earmark, 1.0));
    long earliest =
        Gcra.earliest(
            touched.tat(bucket.id()), nowNanos, cost, settings.toleranceNanos(bucket, drift));
    return earliest > reset;
  }

  private static long earmarkCost(BucketLimit bucket, Demand earmark, double factor) {
    long amount = bucket.meter().amountOf(earmark);
    return amount == 0 ? 0 : Gcra.cost(amount, bucket.capacity(), bucket.periodNanos(), factor);
  }

  /**
   * The share of a bucket's rate this key may admit at: the key's admission factor, less the share
   * that traffic unseen here uses ({@link Drift#unseenShare()}, faded to now).
   */
  private double bucketFactor(LimitState touched, BucketLimit bucket, Instant now, double factor) {
    double unseen =
        ProviderDrift.unseenShare(touched.drift(bucket.id()), now, settings.adaptation());
    return unseen <= 0 ? factor : factor * (1 - unseen);
  }

  private double admissionFactor(LimitState touched, Caller caller) {
    double throttle =
        touched.throttle().factorAt(caller.now(), settings.throttleRecoveryPerSecond());
    double reservedForStale =
        stale(touched, caller).values().stream().mapToDouble(Member::fallbackShare).sum();
    return throttle * Math.max(0.0, 1.0 - reservedForStale);
  }

  private int concurrencyInUse(LimitState touched, Caller caller) {
    Map<String, Member> stale = stale(touched, caller);
    int inUse = 0;
    for (Map.Entry<String, Member> entry : touched.members().entrySet()) {
      Member member = entry.getValue();
      inUse +=
          stale.containsKey(entry.getKey())
              ? Math.max(
                  member.inFlight(),
                  (int) Math.floor(member.fallbackShare() * limits.maxConcurrency()))
              : member.inFlight();
    }
    return inUse;
  }

  /** Other instances not seen for longer than staleAfter (older ones were removed by touch). */
  private Map<String, Member> stale(LimitState touched, Caller caller) {
    Instant staleBefore = caller.now().minus(settings.staleAfter());
    Map<String, Member> stale = new HashMap<>();
    touched
        .members()
        .forEach(
            (id, member) -> {
              if (!id.equals(caller.instanceId()) && member.lastSeen().isBefore(staleBefore)) {
                stale.put(id, member);
              }
            });
    return stale;
  }

  private Instant firstStaleExpiry(LimitState touched, Caller caller) {
    return stale(touched, caller).values().stream()
        .map(member -> member.lastSeen().plus(forgetAfter()))
        .min(Instant::compareTo)
        .orElse(caller.now().plus(settings.concurrencyRetry()));
  }

  private Duration forgetAfter() {
    return settings.staleAfter().plus(settings.fallbackFor());
  }

  /**
   * Records the caller as alive: removes instances silent for longer than staleAfter + fallbackFor,
   * sets the caller's last-seen time, applies its in-flight correction and gives it a fallback
   * share of 1/N (N = instances alive), never more than the others leave free, so that the shares
   * of all instances add up to at most 1. Then holds back the burst that silent instances may take
   * from their local share (see {@link #holdBack}).
   */
  private LimitState touch(LimitState state, Caller caller) {
    Instant now = caller.now();
    Instant forgetBefore = now.minus(forgetAfter());
    Instant staleBefore = now.minus(settings.staleAfter());
    Map<String, Member> members = new HashMap<>();
    List<FallbackEnd> ended = new ArrayList<>();
    state
        .members()
        .forEach(
            (id, member) -> {
              if (id.equals(caller.instanceId()) || !member.lastSeen().isBefore(forgetBefore)) {
                members.put(id, member);
              } else {
                ended.add(new FallbackEnd(member.lastSeen().plus(forgetAfter()), member));
              }
            });
    Member self = members.remove(caller.instanceId());
    if (self != null && self.lastSeen().isBefore(staleBefore)) {
      ended.add(new FallbackEnd(now, self));
    }
    long alive =
        1 + members.values().stream().filter(m -> !m.lastSeen().isBefore(staleBefore)).count();
    double othersShare = members.values().stream().mapToDouble(Member::fallbackShare).sum();
    double share = Math.max(0.0, Math.min(1.0 / alive, 1.0 - othersShare));
    double staleShare =
        members.values().stream()
            .filter(m -> m.lastSeen().isBefore(staleBefore))
            .mapToDouble(Member::fallbackShare)
            .sum();
    Instant lastSeen = self == null || now.isAfter(self.lastSeen()) ? now : self.lastSeen();
    int inFlight = Math.max(0, (self == null ? 0 : self.inFlight()) + caller.inFlightCorrection());
    members.put(caller.instanceId(), new Member(lastSeen, inFlight, share));
    LimitState seen = state.withMembers(members);
    return holdBack(seen.withWaiters(lapsed(seen, now, staleBefore)), now, staleShare, ended);
  }

  /**
   * The waiters still in the queue: those whose instance has not let them expire, is still a member
   * and has been seen within staleAfter (a dead or partitioned instance's place lapses).
   */
  private static List<Waiter> lapsed(LimitState state, Instant now, Instant staleBefore) {
    return without(
        state.waiters(),
        waiter -> {
          Member owner = state.members().get(waiter.owner());
          return !waiter.expiresAt().isAfter(now)
              || owner == null
              || owner.lastSeen().isBefore(staleBefore);
        });
  }

  /**
   * A silent instance's local bucket may have filled to {@code share × rate × min(period,
   * fallbackFor)} and be spent just before its fallback ends (when it is forgotten, or when it
   * comes back); so while it is silent, and when its fallback ends, the shared buckets must lack at
   * least that much, or both could burst at once. Keeps every bucket's tat at least that far ahead
   * of now, or of the fallback's end.
   */
  private LimitState holdBack(
      LimitState state, Instant now, double staleShare, List<FallbackEnd> ended) {
    if (staleShare <= 0 && ended.isEmpty()) {
      return state;
    }
    Map<String, Long> tats = new HashMap<>();
    for (BucketLimit bucket : limits.buckets()) {
      long burst = Math.min(bucket.periodNanos(), settings.fallbackFor().toNanos());
      long floor = nanos(now) + (long) Math.ceil(burst * staleShare);
      for (FallbackEnd end : ended) {
        long share = (long) Math.ceil(burst * end.member().fallbackShare());
        floor = Math.max(floor, nanos(end.at()) + share);
      }
      if (floor > state.tat(bucket.id())) {
        tats.put(bucket.id(), floor);
      }
    }
    return state.withTats(tats);
  }

  /** When a silent member's local fallback ended at the latest. */
  private record FallbackEnd(Instant at, Member member) {}

  private Duration pauseFor(Duration retryAfter, ProviderRateLimitReport report, Instant now) {
    if (retryAfter != null && !retryAfter.isNegative()) {
      return retryAfter;
    }
    return report.observations().values().stream()
        .filter(o -> o.remaining() != null && o.remaining() <= 0 && o.reset() != null)
        .map(o -> Duration.between(now, o.reset()))
        .filter(d -> !d.isNegative())
        .max(Duration::compareTo)
        .orElse(settings.defaultRetryAfter());
  }
}
