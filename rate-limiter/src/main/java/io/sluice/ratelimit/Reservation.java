package io.sluice.ratelimit;

import java.time.Instant;
import java.util.Objects;

/**
 * Proof that a call was admitted: hand it back to {@link RateLimiter#reconcile}, {@link
 * RateLimiter#keepCharged} or {@link RateLimiter#release} exactly once when the call is over. It
 * carries everything needed to settle, so nothing about it is stored.
 *
 * @param id a unique ID, for logs and metrics
 * @param key whose limit was charged
 * @param instanceId the limiter instance that admitted it
 * @param reserved what was charged at admission: the estimate, its input corrected by the learned
 *     bias
 * @param admittedAt when it was admitted
 * @param source where the capacity came from
 * @param fallbackSession the local fallback session that admitted it (0 when {@link Source#SHARED})
 * @param estimated the demand as asked, before the bias correction (what reconciliation learns the
 *     bias from)
 */
public record Reservation(
    String id,
    LimitKey key,
    String instanceId,
    Demand reserved,
    Instant admittedAt,
    Source source,
    long fallbackSession,
    Demand estimated) {

  /** Where a reservation's capacity came from. */
  public enum Source {
    /** The shared state every instance of the key uses. */
    SHARED,
    /** This instance's safe local share, used while the shared store was unreachable. */
    LOCAL_FALLBACK
  }

  public Reservation {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(instanceId, "instanceId");
    Objects.requireNonNull(reserved, "reserved");
    Objects.requireNonNull(admittedAt, "admittedAt");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(estimated, "estimated");
  }

  /** A reservation of exactly what was asked (no bias correction). */
  public Reservation(
      String id,
      LimitKey key,
      String instanceId,
      Demand reserved,
      Instant admittedAt,
      Source source,
      long fallbackSession) {
    this(id, key, instanceId, reserved, admittedAt, source, fallbackSession, reserved);
  }
}
