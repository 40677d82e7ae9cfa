package io.sluice.ratelimit;

import io.sluice.ratelimit.internal.CombiningStore;
import io.sluice.ratelimit.internal.StoreFailover;
import io.sluice.schemas.job.TokenUsage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Admits provider calls within the limits of each provider account and model, shared by every
 * instance that uses the same {@link LimitStore}. Thread-safe; one per process.
 *
 * <p>How a worker uses it:
 *
 * <pre>{@code
 * RateLimiter limiter = RateLimiter.builder()
 *     .store(new PostgresLimitStore(dataSource))      // or new InMemoryLimitStore()
 *     .limits(key, RateLimits.builder().requestsPerMinute(500).tokensPerMinute(200_000).build())
 *     .build();
 *
 * // Before taking work: would a typical task go now?
 * Instant when = limiter.earliestAdmission(key, typical);
 *
 * // Before the call:
 * switch (limiter.tryReserve(key, Demand.ofCall(estimatedInput, maxTokens))) {
 *   case Admission.Granted g -> {
 *     try {
 *       CompletionResponse r = provider.complete(...);
 *       limiter.calibrate(key, reportFrom(r.rateLimits()));
 *       limiter.reconcile(g.reservation(), r.usage());
 *     } catch (ProviderException e) {
 *       if (e.isRateLimited()) limiter.rateLimited(key, e.retryAfter().orElse(null), reportFrom(e.rateLimits()));
 *       limiter.keepCharged(g.reservation());           // usage unknown: keep the charge
 *     }
 *   }
 *   case Admission.Deferred d -> // hand the task back, try again at d.notBefore()
 *   case Admission.Refused r -> // fail the task: it can never fit
 * }
 * // Every second or so: limiter.heartbeat(); on shutdown: limiter.close().
 * }</pre>
 *
 * <p>Each call is one short atomic step on the shared store ({@link LimitCore} computes it); the
 * steps this instance's threads take at the same time on one key go to the store together, in one
 * update ({@link CombiningStore}). When the store cannot be reached the limiter admits from a local
 * share that the other instances hold back for it (see {@link LimiterSettings}), and never more.
 */
public final class RateLimiter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(RateLimiter.class);

  private final LimitStore store;
  private final Clock clock;
  private final String instanceId;
  private final Map<LimitKey, KeyRuntime> keys;
  private final Map<LimitKey, RateLimits> configured;
  private final Set<String> reportedMismatches = ConcurrentHashMap.newKeySet();

  private RateLimiter(Builder builder) {
    this.store = new CombiningStore(Objects.requireNonNull(builder.store, "store"));
    this.clock = builder.clock;
    this.instanceId = builder.instanceId;
    Map<LimitKey, KeyRuntime> runtimes = new LinkedHashMap<>();
    builder.limits.forEach(
        (key, limits) ->
            runtimes.put(
                key,
                new KeyRuntime(
                    new LimitCore(limits, builder.settings),
                    new StoreFailover(key, limits, builder.settings, instanceId),
                    new AtomicInteger())));
    this.keys = Map.copyOf(runtimes);
    this.configured = Map.copyOf(builder.limits);
  }

  public static Builder builder() {
    return new Builder();
  }

  /** This instance's ID in the shared state. */
  public String instanceId() {
    return instanceId;
  }

  /** The keys this limiter was configured with. */
  public Set<LimitKey> keys() {
    return keys.keySet();
  }

  /** The limits configured for each key (what the provider allows, not what is left now). */
  public Map<LimitKey, RateLimits> limits() {
    return configured;
  }

  /**
   * Reserves {@code demand} now if every limit of {@code key} allows it.
   *
   * @return {@link Admission.Granted} (settle its reservation when the call is over), {@link
   *     Admission.Deferred} with the earliest instant to ask again, or {@link Admission.Refused}
   * @throws IllegalArgumentException if {@code key} is not configured
   */
  public Admission tryReserve(LimitKey key, Demand demand) {
    KeyRuntime rt = runtime(key);
    Instant now = clock.instant();
    String id = UUID.randomUUID().toString();
    Optional<Step<Admission>> shared =
        shared(key, rt, now, (state, caller) -> rt.core.reserve(state, caller, key, id, demand));
    Admission admission =
        shared
            .map(Step::result)
            .orElseGet(() -> rt.failover.reserveLocally(now, id, demand, rt.open.get()));
    if (admission.isGranted()) {
      rt.open.incrementAndGet();
    }
    if (LOG.isDebugEnabled()) {
      logDecision(key, demand, admission, now, shared.isPresent());
    }
    return admission;
  }

  /** Sizes, the blocking bucket and the wait only: nothing of the call itself. */
  private void logDecision(
      LimitKey key, Demand demand, Admission admission, Instant now, boolean fromShared) {
    String outcome =
        switch (admission) {
          case Admission.Granted granted -> "granted";
          case Admission.Deferred deferred ->
              "deferred by "
                  + deferred.blockedBy()
                  + " for "
                  + Duration.between(now, deferred.notBefore()).toMillis()
                  + " ms";
          case Admission.Refused refused -> "refused";
        };
    LOG.debug(
        "{} {}+{} tokens on {}: {}{}",
        instanceId,
        demand.inputTokens(),
        demand.outputTokens(),
        key,
        outcome,
        fromShared ? "" : " (local fallback)");
  }

  /**
   * When {@code demand} could be admitted if nothing else changes: now, a later instant, or {@link
   * Instant#MAX} if never. Reserves nothing; a worker asks this before it takes a task.
   */
  public Instant earliestAdmission(LimitKey key, Demand demand) {
    KeyRuntime rt = runtime(key);
    Instant now = clock.instant();
    if (reachable(rt, now)) {
      try {
        return rt.core.earliestAdmission(store.read(key), Caller.of(instanceId, now), demand);
      } catch (StoreUnavailableException e) {
        lost(key, rt, now, e);
      }
    }
    return rt.failover.earliestLocally(now, demand);
  }

  /**
   * Settles a finished call with its actual usage: charges what it used beyond the reservation and
   * gives back what it did not use where the provider does ({@link OutputAccounting}).
   */
  public void reconcile(Reservation reservation, TokenUsage actual) {
    KeyRuntime rt = runtime(reservation.key());
    settle(
        reservation,
        rt.core.finalCharge(reservation, actual),
        (state, caller, refundsAllowed) ->
            rt.core.reconcile(state, caller, reservation, actual, refundsAllowed));
  }

  /**
   * Settles a call that was made but whose usage is unknown (timeout, reset connection, error
   * response): the provider may have counted it, so the reservation stays charged.
   */
  public void keepCharged(Reservation reservation) {
    settle(reservation, reservation.reserved());
  }

  /** Settles a reservation whose call was never made: everything is given back. */
  public void release(Reservation reservation) {
    settle(reservation, Demand.NONE);
  }

  /**
   * Lowers the shared view of {@code key}'s limits to what the provider reports as remaining, so
   * that traffic of other clients on the same account slows this one down.
   */
  public void calibrate(LimitKey key, ProviderRateLimitReport report) {
    if (report.observations().isEmpty()) {
      return;
    }
    KeyRuntime rt = runtime(key);
    Instant now = clock.instant();
    Optional<Step<LimitCore.Calibration>> step =
        shared(key, rt, now, (state, caller) -> rt.core.calibrate(state, caller, report));
    step.ifPresentOrElse(
        s -> {
          warnAboutMismatches(key, s.result());
          if (LOG.isDebugEnabled() && !s.result().lowered().isEmpty()) {
            s.result()
                .lowered()
                .forEach(
                    bucket ->
                        LOG.debug(
                            "{} lowered {} on {} to the provider's remaining; {}",
                            instanceId,
                            bucket,
                            key,
                            s.next().drift(bucket)));
          }
        },
        () ->
            rt.failover.applyLocally(
                (core, state) -> core.calibrate(state, Caller.of(instanceId, now), report).next()));
  }

  /**
   * The provider answered 429 for {@code key}: pauses admission until its retry hint, lowers the
   * admission rate for a while and calibrates from the response's headers.
   *
   * @param retryAfter the provider's retry hint, or {@code null} if it gave none
   */
  public void rateLimited(LimitKey key, Duration retryAfter, ProviderRateLimitReport report) {
    KeyRuntime rt = runtime(key);
    Instant now = clock.instant();
    LOG.warn(
        "Provider rate-limited {} (retry after {}); pausing admission and lowering the rate",
        key,
        retryAfter);
    BiFunction<LimitCore, LimitState, LimitState> change =
        (core, state) -> core.rateLimited(state, Caller.of(instanceId, now), retryAfter, report);
    Optional<Step<Void>> step =
        shared(
            key,
            rt,
            now,
            (state, caller) -> Step.of(rt.core.rateLimited(state, caller, retryAfter, report)));
    if (step.isEmpty()) {
      rt.failover.applyLocally(change);
    }
  }

  /**
   * Tells the other instances this one is alive. Call it regularly, well within {@link
   * LimiterSettings#staleAfter()} (e.g. every second): an instance that stays silent longer is
   * assumed to have lost the store, and its share is held back for it.
   */
  public void heartbeat() {
    Instant now = clock.instant();
    keys.forEach(
        (key, rt) ->
            shared(key, rt, now, (state, caller) -> Step.of(rt.core.heartbeat(state, caller))));
  }

  /** Whether {@code key} is currently admitted from this instance's local fallback share. */
  public boolean inFallback(LimitKey key) {
    return runtime(key).failover.inFallback();
  }

  /** Leaves the shared state of every key, so the others get this instance's share at once. */
  @Override
  public void close() {
    keys.forEach(
        (key, rt) -> {
          try {
            store.update(key, state -> Step.of(rt.core.leave(state, instanceId)));
          } catch (StoreUnavailableException e) {
            LOG.warn(
                "Could not leave the shared state of {}; the others get its share back once it is"
                    + " stale",
                key,
                e);
          }
        });
  }

  private void settle(Reservation reservation, Demand charged) {
    KeyRuntime rt = runtime(reservation.key());
    settle(
        reservation,
        charged,
        (state, caller, refundsAllowed) ->
            rt.core.settle(state, caller, reservation, charged, refundsAllowed));
  }

  /**
   * Applies {@code settlement} to the shared state, or, when the store is out of reach, settles
   * {@code charged} in the local fallback session.
   */
  private void settle(Reservation reservation, Demand charged, Settlement settlement) {
    KeyRuntime rt = runtime(reservation.key());
    Instant now = clock.instant();
    rt.open.decrementAndGet();
    boolean refundsAllowed = reservation.source() == Reservation.Source.SHARED;
    Optional<Step<Void>> step =
        shared(
            reservation.key(),
            rt,
            now,
            (state, caller) -> Step.of(settlement.apply(state, caller, refundsAllowed)));
    if (step.isEmpty()) {
      rt.failover.adjustPendingInFlight(-1);
      rt.failover.settleLocally(reservation, now, charged);
    }
  }

  private <T> Optional<Step<T>> shared(
      LimitKey key, KeyRuntime rt, Instant now, BiFunction<LimitState, Caller, Step<T>> change) {
    if (!reachable(rt, now)) {
      return Optional.empty();
    }
    int correction = rt.failover.beginWrite(now);
    Caller caller = new Caller(instanceId, now, correction);
    try {
      Step<T> step =
          store.update(
              key,
              state -> {
                Step<T> next = change.apply(state, caller);
                rt.failover.shareComputed(now, LimitCore.fallbackShare(next.next(), instanceId));
                return next;
              });
      rt.failover.writeSucceeded(now);
      return Optional.of(step);
    } catch (StoreUnavailableException e) {
      rt.failover.writeFailed(correction);
      lost(key, rt, now, e);
      return Optional.empty();
    }
  }

  private boolean reachable(KeyRuntime rt, Instant now) {
    if (rt.failover.healthy()) {
      return true;
    }
    if (!rt.failover.probeDue(now)) {
      return false;
    }
    try {
      store.ping();
      rt.failover.storeIsBack();
      LOG.info("Limit store is reachable again; admitting from the shared limits");
      return true;
    } catch (StoreUnavailableException e) {
      return false;
    }
  }

  private void lost(LimitKey key, KeyRuntime rt, Instant now, StoreUnavailableException e) {
    if (rt.failover.storeFailed(now)) {
      LOG.warn(
          "Limit store unreachable for {}; admitting only from this instance's fallback share until"
              + " it is back",
          key,
          e);
    }
  }

  private void warnAboutMismatches(LimitKey key, LimitCore.Calibration calibration) {
    for (String bucket : calibration.limitMismatches()) {
      if (reportedMismatches.add(key + " " + bucket)) {
        LOG.warn(
            "Provider reports a lower limit than configured for {} bucket {}; fix the configuration",
            key,
            bucket);
      }
    }
  }

  private KeyRuntime runtime(LimitKey key) {
    KeyRuntime rt = keys.get(key);
    if (rt == null) {
      throw new IllegalArgumentException("no rate limits configured for " + key);
    }
    return rt;
  }

  private record KeyRuntime(LimitCore core, StoreFailover failover, AtomicInteger open) {}

  /** One way of settling a reservation in the shared state. */
  @FunctionalInterface
  private interface Settlement {
    LimitState apply(LimitState state, Caller caller, boolean refundsAllowed);
  }

  /** Collects the store, the limits per key, the clock and the settings. */
  public static final class Builder {
    private final Map<LimitKey, RateLimits> limits = new LinkedHashMap<>();
    private LimitStore store;
    private Clock clock = Clock.systemUTC();
    private String instanceId = UUID.randomUUID().toString();
    private LimiterSettings settings = LimiterSettings.defaults();

    public Builder store(LimitStore store) {
      this.store = store;
      return this;
    }

    /** The limits of one key; every instance sharing the key must configure the same. */
    public Builder limits(LimitKey key, RateLimits rateLimits) {
      limits.put(Objects.requireNonNull(key, "key"), Objects.requireNonNull(rateLimits, "limits"));
      return this;
    }

    public Builder clock(Clock clock) {
      this.clock = Objects.requireNonNull(clock, "clock");
      return this;
    }

    /** A stable ID for this instance (default: random); unique among instances sharing a store. */
    public Builder instanceId(String instanceId) {
      this.instanceId = Objects.requireNonNull(instanceId, "instanceId");
      return this;
    }

    public Builder settings(LimiterSettings settings) {
      this.settings = Objects.requireNonNull(settings, "settings");
      return this;
    }

    public RateLimiter build() {
      if (limits.isEmpty()) {
        throw new IllegalArgumentException("a rate limiter needs the limits of at least one key");
      }
      return new RateLimiter(this);
    }
  }
}
