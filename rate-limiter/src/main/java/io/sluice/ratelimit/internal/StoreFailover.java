package io.sluice.ratelimit.internal;

import io.sluice.ratelimit.Admission;
import io.sluice.ratelimit.Caller;
import io.sluice.ratelimit.Demand;
import io.sluice.ratelimit.LimitCore;
import io.sluice.ratelimit.LimitKey;
import io.sluice.ratelimit.LimitState;
import io.sluice.ratelimit.LimiterSettings;
import io.sluice.ratelimit.RateLimits;
import io.sluice.ratelimit.Reservation;
import io.sluice.ratelimit.Step;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Optional;
import java.util.function.BiFunction;

/**
 * One instance's view of whether it can reach the shared store for one key, and its local fallback
 * share while it cannot.
 *
 * <p>The others hold back this instance's recorded share while it is stale: from {@code seen +
 * staleAfter} to {@code seen + staleAfter + fallbackFor} (their clocks), where {@code seen} is the
 * time of its last write that reached the store. This instance knows only that {@code seen} lies
 * between its last successful write and its last write attempt (a failed attempt may have been
 * stored). So it admits locally only from {@code lastAttempt + staleAfter} to {@code lastSuccess +
 * staleAfter + fallbackFor}, shrunk by the clock-skew margin at both ends, from buckets that start
 * empty and refill at its share of the limits. While the store is lost it checks it with read-only
 * pings, which do not move the window.
 */
public final class StoreFailover {
  private final LimitKey key;
  private final RateLimits limits;
  private final LimiterSettings settings;
  private final String instanceId;
  private final Deque<TimedShare> recentShares = new ArrayDeque<>();
  private boolean healthy = true;
  private Instant lastWrite;
  private Instant lastSuccess;
  private Instant nextProbe = Instant.EPOCH;
  private int pendingInFlight;
  private long sessions;
  private LocalSession session;

  public StoreFailover(
      LimitKey key, RateLimits limits, LimiterSettings settings, String instanceId) {
    this.key = key;
    this.limits = limits;
    this.settings = settings;
    this.instanceId = instanceId;
  }

  /** Whether the last store call succeeded. */
  public synchronized boolean healthy() {
    return healthy;
  }

  /**
   * Whether an instance that lost the store should ping it now; at most once per probe interval.
   */
  public synchronized boolean probeDue(Instant now) {
    if (healthy || now.isBefore(nextProbe)) {
      return false;
    }
    nextProbe = now.plus(settings.storeProbeInterval());
    return true;
  }

  /**
   * Records a write attempt at {@code now} and hands it the pending in-flight correction to carry
   * (so that writes joined into one transaction do not carry it twice); give it back with {@link
   * #writeFailed} if the write fails.
   */
  public synchronized int beginWrite(Instant now) {
    if (lastWrite == null || now.isAfter(lastWrite)) {
      lastWrite = now;
    }
    int correction = pendingInFlight;
    pendingInFlight = 0;
    return correction;
  }

  /** A write that carried {@code correction} failed: the next write carries it again. */
  public synchronized void writeFailed(int correction) {
    pendingInFlight += correction;
  }

  /** Records the fallback share a write attempt computed (it may have been stored). */
  public synchronized void shareComputed(Instant now, double share) {
    recentShares.addLast(new TimedShare(now, share));
    Instant keepAfter = now.minus(forgetAfter().multipliedBy(2));
    while (recentShares.size() > 1 && recentShares.peekFirst().at().isBefore(keepAfter)) {
      recentShares.removeFirst();
    }
  }

  /** A write attempted at {@code attempt} succeeded. */
  public synchronized void writeSucceeded(Instant attempt) {
    if (lastSuccess == null || attempt.isAfter(lastSuccess)) {
      lastSuccess = attempt;
    }
    storeIsBack();
  }

  /** A ping succeeded: the store is reachable again. */
  public synchronized void storeIsBack() {
    healthy = true;
    session = null;
  }

  /** A store call failed at {@code now}; returns whether the store was healthy until then. */
  public synchronized boolean storeFailed(Instant now) {
    boolean wasHealthy = healthy;
    healthy = false;
    nextProbe = now.plus(settings.storeProbeInterval());
    return wasHealthy;
  }

  /** Adds to the in-flight correction the next successful write carries. */
  public synchronized void adjustPendingInFlight(int delta) {
    pendingInFlight += delta;
  }

  /**
   * Admits from the local share if the fallback window is open, else says when to try again.
   *
   * @param openReservations calls of this key this instance has not settled yet
   */
  public synchronized Admission reserveLocally(
      Instant now, String reservationId, Demand demand, int openReservations) {
    Optional<Admission> closed = windowClosed(now);
    if (closed.isPresent()) {
      return closed.get();
    }
    if (session == null && !openSession(openReservations)) {
      return unavailable(now);
    }
    Step<Admission> step =
        session.core.reserve(session.state, Caller.of(instanceId, now), key, reservationId, demand);
    session.state = step.next();
    if (step.result() instanceof Admission.Granted granted) {
      pendingInFlight++;
      Reservation shared = granted.reservation();
      return new Admission.Granted(
          new Reservation(
              shared.id(),
              key,
              instanceId,
              demand,
              now,
              Reservation.Source.LOCAL_FALLBACK,
              session.id));
    }
    return step.result() instanceof Admission.Refused ? unavailable(now) : step.result();
  }

  /** When a demand could be admitted locally. */
  public synchronized Instant earliestLocally(Instant now, Demand demand) {
    Optional<Admission> closed = windowClosed(now);
    if (closed.isPresent()) {
      return ((Admission.Deferred) closed.get()).notBefore();
    }
    if (session == null) {
      return now;
    }
    Instant earliest =
        session.core.earliestAdmission(session.state, Caller.of(instanceId, now), demand);
    return earliest.equals(Instant.MAX) ? nextProbe : earliest;
  }

  /**
   * Settles a reservation in the local session if one is open; returns whether one was. Refunds
   * only reservations the session admitted itself.
   */
  public synchronized boolean settleLocally(Reservation reservation, Instant now, Demand charged) {
    if (session == null) {
      return false;
    }
    boolean ownSession =
        reservation.source() == Reservation.Source.LOCAL_FALLBACK
            && reservation.fallbackSession() == session.id;
    session.state =
        session.core.settle(
            session.state, Caller.of(instanceId, now), reservation, charged, ownSession);
    return true;
  }

  /** Applies a change (calibration, 429) to the local session's state, if one is open. */
  public synchronized void applyLocally(BiFunction<LimitCore, LimitState, LimitState> change) {
    if (session != null) {
      session.state = change.apply(session.core, session.state);
    }
  }

  /** Whether admissions currently come from the local share. */
  public synchronized boolean inFallback() {
    return session != null;
  }

  private Optional<Admission> windowClosed(Instant now) {
    if (lastSuccess == null || settings.fallbackFor().isZero()) {
      return Optional.of(unavailable(now));
    }
    Instant opens = windowOpens();
    if (now.isBefore(opens)) {
      return Optional.of(new Admission.Deferred(earlier(opens, nextProbe), "store-unavailable"));
    }
    if (!now.isBefore(windowCloses())) {
      session = null;
      return Optional.of(unavailable(now));
    }
    return Optional.empty();
  }

  private boolean openSession(int openReservations) {
    double share = recentShares.stream().mapToDouble(TimedShare::share).min().orElse(0.0);
    Optional<RateLimits> scaled = share > 0 ? limits.scaled(share) : Optional.empty();
    if (scaled.isEmpty()) {
      return false;
    }
    LimitCore core = new LimitCore(scaled.get(), settings);
    Instant opens = windowOpens();
    LimitState drained =
        core.drainedAt(opens)
            .withMember(instanceId, new LimitState.Member(opens, openReservations, 1.0));
    session = new LocalSession(++sessions, core, drained);
    return true;
  }

  private Admission unavailable(Instant now) {
    return new Admission.Deferred(
        earlier(nextProbe, now.plus(settings.storeProbeInterval())), "store-unavailable");
  }

  private Instant windowOpens() {
    return lastWrite.plus(settings.staleAfter()).plus(settings.clockSkewMargin());
  }

  private Instant windowCloses() {
    return lastSuccess.plus(forgetAfter()).minus(settings.clockSkewMargin());
  }

  private Duration forgetAfter() {
    return settings.staleAfter().plus(settings.fallbackFor());
  }

  private static Instant earlier(Instant a, Instant b) {
    return a.isBefore(b) ? a : b;
  }

  private record TimedShare(Instant at, double share) {}

  private static final class LocalSession {
    private final long id;
    private final LimitCore core;
    private LimitState state;

    private LocalSession(long id, LimitCore core, LimitState state) {
      this.id = id;
      this.core = core;
      this.state = state;
    }
  }
}
