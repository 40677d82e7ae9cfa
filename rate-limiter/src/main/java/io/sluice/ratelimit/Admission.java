package io.sluice.ratelimit;

import java.time.Instant;
import java.util.Objects;

/**
 * The answer to "may this call go now?": {@link Granted} with a reservation, {@link Deferred} with
 * the earliest instant it could be admitted, or {@link Refused} when it never can be (the demand is
 * larger than a bucket).
 */
public sealed interface Admission {

  /** Whether the call was admitted. */
  default boolean isGranted() {
    return this instanceof Granted;
  }

  /**
   * Admitted now; the capacity is charged.
   *
   * @param reservation settle it once the call is over
   */
  record Granted(Reservation reservation) implements Admission {
    public Granted {
      Objects.requireNonNull(reservation, "reservation");
    }
  }

  /**
   * Not now. Nothing was charged.
   *
   * @param notBefore the earliest instant the same demand could be admitted if nothing else changes
   *     (a lower bound: other callers may take the capacity first; for {@code concurrency} it is a
   *     polling hint)
   * @param blockedBy what blocks it: a bucket id such as {@code TOKENS/60s}, {@code concurrency},
   *     {@code paused}, {@code unreachable-instances} or {@code store-unavailable}
   * @param holdsPlace whether this demand now holds the caller's place in the shared queue of
   *     deferred demands (README, "Fairness"): the place holds the largest demand the instance was
   *     deferred for while waiting, and an admission of <em>any</em> of its demands ends it. A
   *     caller holding several calls keeps the queue's order, and the hints the other instances
   *     were given, by asking with this demand first.
   */
  record Deferred(Instant notBefore, String blockedBy, boolean holdsPlace) implements Admission {
    public Deferred {
      Objects.requireNonNull(notBefore, "notBefore");
      Objects.requireNonNull(blockedBy, "blockedBy");
    }

    /** Deferred without a place in the queue (or not the demand that holds it). */
    public Deferred(Instant notBefore, String blockedBy) {
      this(notBefore, blockedBy, false);
    }
  }

  /**
   * Never admissible under these limits; the caller should fail the task permanently.
   *
   * @param reason which bucket is too small for the demand
   */
  record Refused(String reason) implements Admission {}
}
