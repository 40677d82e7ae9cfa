package io.sluice.ratelimit;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The shared state of one {@link LimitKey}, immutable; {@link LimitCore} computes the next state
 * and a {@link LimitStore} keeps it. Small: one number per bucket and one entry per live instance.
 *
 * @param bucketTats per bucket id, the bucket's theoretical arrival time in epoch nanoseconds
 *     (GCRA): the bucket is full at or after that instant, and holds {@code capacity × (now +
 *     period − tat) / period} units before it (a value beyond {@code now + period} is debt). Absent
 *     means full.
 * @param pausedUntil no admission before this instant (a provider's retry hint)
 * @param throttle the admission rate's reduction after 429s
 * @param members the instances that use this key, by instance ID
 * @param waiters the shared queue of deferred demands, oldest first: the oldest one (the
 *     <em>earmark</em>) has capacity set aside, every other demand is admitted only if it leaves
 *     room for it
 * @param bias the learned ratio of the provider's input-token count to the estimate (absent in a
 *     state written before it existed: none learned yet)
 * @param drift per bucket id, what the provider's headers taught about the bucket beyond its
 *     configured limit: a shorter enforcement window, a share of its rate used by traffic this
 *     state does not see (absent: nothing learned, the bucket is exactly as configured)
 */
public record LimitState(
    Map<String, Long> bucketTats,
    Instant pausedUntil,
    Throttle throttle,
    Map<String, Member> members,
    List<Waiter> waiters,
    EstimateBias bias,
    Map<String, Drift> drift) {

  /** A key nobody has used: every bucket full, nothing paused, no instances. */
  public static final LimitState EMPTY =
      new LimitState(Map.of(), Instant.EPOCH, Throttle.NONE, Map.of());

  public LimitState {
    bucketTats = Map.copyOf(bucketTats);
    Objects.requireNonNull(pausedUntil, "pausedUntil");
    Objects.requireNonNull(throttle, "throttle");
    members = Map.copyOf(members);
    waiters = waiters == null ? List.of() : sorted(waiters);
    bias = bias == null ? EstimateBias.NONE : bias;
    drift = drift == null ? Map.of() : Map.copyOf(drift);
  }

  /** A state with waiters and a bias, without anything learned from the headers. */
  public LimitState(
      Map<String, Long> bucketTats,
      Instant pausedUntil,
      Throttle throttle,
      Map<String, Member> members,
      List<Waiter> waiters,
      EstimateBias bias) {
    this(bucketTats, pausedUntil, throttle, members, waiters, bias, Map.of());
  }

  /** A state without waiters and without a learned bias. */
  public LimitState(
      Map<String, Long> bucketTats,
      Instant pausedUntil,
      Throttle throttle,
      Map<String, Member> members) {
    this(bucketTats, pausedUntil, throttle, members, List.of(), EstimateBias.NONE, Map.of());
  }

  /**
   * A deferred demand in the shared queue.
   *
   * @param owner the instance that asked
   * @param demand the demand as asked (before the bias correction); the same instance asking the
   *     same demand again is the same waiter
   * @param since when it was first deferred
   * @param expiresAt when it lapses unless asked again (its instance may have given up or died)
   */
  public record Waiter(String owner, Demand demand, Instant since, Instant expiresAt) {
    public Waiter {
      Objects.requireNonNull(owner, "owner");
      Objects.requireNonNull(demand, "demand");
      Objects.requireNonNull(since, "since");
      Objects.requireNonNull(expiresAt, "expiresAt");
    }
  }

  /**
   * The learned ratio of what the provider counts as input tokens to what was estimated.
   *
   * @param factor the estimate is multiplied by this before it is reserved
   * @param samples how many reconciled calls it was learned from
   */
  public record EstimateBias(double factor, long samples) {
    public static final EstimateBias NONE = new EstimateBias(1.0, 0);
  }

  /**
   * What the provider's headers taught about one bucket.
   *
   * @param windowNanos the window over which the provider enforces the bucket, when shorter than
   *     its period (it then holds only {@code capacity × window / period} at once); 0 = the period
   * @param unseenShare the share of the bucket's rate used by traffic the limiter does not see
   *     (another client on the account, or the provider counting Sluice's calls as larger), as of
   *     {@code since}; it fades over time unless renewed
   * @param since when the bucket was last calibrated (the share is as of then)
   * @param fixedSeen when a report last showed the bucket counted in fixed windows of its period
   *     (refilled whole at each reset, not continuously); {@link Instant#EPOCH} if never (and for a
   *     state stored before this was learned)
   * @param fixedReset for a bucket counted in fixed windows, the reset its last report gave (the
   *     end of the provider's current window); {@link Instant#EPOCH} otherwise
   * @param marginNanos the margin a short window's admissions keep below it, as set when the window
   *     was learned and widened by 429s ({@link io.sluice.ratelimit.LimiterSettings#marginNanos});
   *     0 = none set (a tenth of the window)
   * @param windowBounded whether the window is only known not to be longer: it was learned from an
   *     exhausted meter, whose reset includes any debt ({@link
   *     io.sluice.ratelimit.internal.ProviderDrift#learnWindow}). Every call then waits for a full
   *     window, as a call larger than the provider's window does
   */
  public record Drift(
      long windowNanos,
      double unseenShare,
      Instant since,
      Instant fixedSeen,
      Instant fixedReset,
      long marginNanos,
      boolean windowBounded) {
    public static final Drift NONE = new Drift(0, 0, Instant.EPOCH);

    public Drift {
      Objects.requireNonNull(since, "since");
      fixedSeen = fixedSeen == null ? Instant.EPOCH : fixedSeen;
      fixedReset = fixedReset == null ? Instant.EPOCH : fixedReset;
    }

    /** A bucket never seen counted in fixed windows. */
    public Drift(long windowNanos, double unseenShare, Instant since) {
      this(windowNanos, unseenShare, since, Instant.EPOCH, Instant.EPOCH, 0, false);
    }

    /** The same with another margin. */
    public Drift withMargin(long margin) {
      return new Drift(
          windowNanos, unseenShare, since, fixedSeen, fixedReset, margin, windowBounded);
    }
  }

  /**
   * The admission rate's reduction: {@code factor} at {@code since}, climbing back linearly.
   *
   * @param factor the share of the limit admitted right after the last 429 (1 = full rate)
   * @param since when the factor was set
   */
  public record Throttle(double factor, Instant since) {
    public static final Throttle NONE = new Throttle(1.0, Instant.EPOCH);

    /** The factor at {@code now}, recovering by {@code perSecond} from {@code since}, at most 1. */
    public double factorAt(Instant now, double perSecond) {
      double seconds = Math.max(0, (now.toEpochMilli() - since.toEpochMilli()) / 1000.0);
      return Math.min(1.0, factor + perSecond * seconds);
    }
  }

  /**
   * One limiter instance that uses this key.
   *
   * @param lastSeen when it last changed this state (its own clock)
   * @param inFlight calls it admitted from the shared state that are not settled yet
   * @param fallbackShare the share of the limits it may use locally if it loses the store
   */
  public record Member(Instant lastSeen, int inFlight, double fallbackShare) {}

  /** The tat of a bucket, or {@link Long#MIN_VALUE} when it is full and untouched. */
  public long tat(String bucketId) {
    return bucketTats.getOrDefault(bucketId, Long.MIN_VALUE);
  }

  public LimitState withTats(Map<String, Long> tats) {
    Map<String, Long> merged = new HashMap<>(bucketTats);
    merged.putAll(tats);
    return new LimitState(merged, pausedUntil, throttle, members, waiters, bias, drift);
  }

  public LimitState withPause(Instant until, Throttle newThrottle) {
    return new LimitState(bucketTats, until, newThrottle, members, waiters, bias, drift);
  }

  public LimitState withMembers(Map<String, Member> newMembers) {
    return new LimitState(bucketTats, pausedUntil, throttle, newMembers, waiters, bias, drift);
  }

  public LimitState withWaiters(List<Waiter> newWaiters) {
    return new LimitState(bucketTats, pausedUntil, throttle, members, newWaiters, bias, drift);
  }

  public LimitState withBias(EstimateBias newBias) {
    return new LimitState(bucketTats, pausedUntil, throttle, members, waiters, newBias, drift);
  }

  public LimitState withDrift(Map<String, Drift> changed) {
    Map<String, Drift> merged = new HashMap<>(drift);
    merged.putAll(changed);
    return new LimitState(bucketTats, pausedUntil, throttle, members, waiters, bias, merged);
  }

  /** What was learned about a bucket from the headers ({@link Drift#NONE} if nothing). */
  public Drift drift(String bucketId) {
    return drift.getOrDefault(bucketId, Drift.NONE);
  }

  /**
   * How much of bucket {@code bucketId}'s per-period limit is in use at {@code now}, from its tat
   * alone: {@code (tat − now) / period}, 0 for a full (untouched or refilled) bucket, 1 for an
   * empty one, above 1 for debt. The capacity is not needed: it cancels out.
   *
   * @throws IllegalArgumentException when {@code bucketId} is not a {@link BucketLimit#id()}
   */
  public double usedShare(String bucketId, Instant now) {
    long tat = tat(bucketId);
    if (tat == Long.MIN_VALUE) {
      return 0;
    }
    long nowNanos = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    double period = BucketLimit.periodOf(bucketId).toNanos();
    return Math.max(0, (tat - nowNanos) / period);
  }

  /** Calls admitted by the live instances and not settled yet. */
  public int inFlight() {
    return members.values().stream().mapToInt(Member::inFlight).sum();
  }

  /** The oldest waiter, whose demand has capacity set aside, if any. */
  public Optional<Waiter> earmark() {
    return waiters.isEmpty() ? Optional.empty() : Optional.of(waiters.get(0));
  }

  /** The same state with one member replaced or added. */
  public LimitState withMember(String instanceId, Member member) {
    Map<String, Member> changed = new HashMap<>(members);
    changed.put(instanceId, member);
    return withMembers(changed);
  }

  private static List<Waiter> sorted(List<Waiter> waiters) {
    List<Waiter> copy = new ArrayList<>(waiters);
    copy.sort(
        Comparator.comparing(Waiter::since)
            .thenComparing(Waiter::owner)
            .thenComparingLong(w -> w.demand().totalTokens()));
    return List.copyOf(copy);
  }
}
