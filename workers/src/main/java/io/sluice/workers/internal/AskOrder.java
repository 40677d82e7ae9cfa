package io.sluice.workers.internal;

import io.sluice.ratelimit.Admission;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Which of this instance's tasks of one limiter key may ask the rate limiter now: the one rule
 * {@link RateLimitGate} applies before every ask. Immutable; a pure function of the limiter's last
 * answers.
 *
 * <ul>
 *   <li>After a deferral nobody asks again before its {@code notBefore} (keeps the shared store
 *       calm).
 *   <li>While a task holds this instance's place in the limiter's queue ({@link
 *       Admission.Deferred#holdsPlace()}), it asks first, at its own hint, and the other tasks wait
 *       until it has: an admission of <em>any</em> of the instance's demands ends its turn, and the
 *       other instances' hints were computed with room set aside for the place's demand. A smaller
 *       task admitted first would end the turn early and leave that room idle until their hints
 *       come. The holder has {@link #HOLDER_GRACE} past its hint to ask (it may have been released,
 *       cancelled or expired meanwhile); after that the others ask as before.
 * </ul>
 *
 * @param notBefore the last deferral's hint, or {@code null}
 * @param holder the task ID whose demand holds the place, or {@code null} when none is known
 * @param holderDue when the holder may ask again (its hint); {@code null} without a holder
 */
record AskOrder(Instant notBefore, String holder, Instant holderDue) {
  /** Nothing known: every task may ask. */
  static final AskOrder NONE = new AskOrder(null, null, null);

  /**
   * How long after its hint the holder alone may ask: covers the deferral timer, a task's start and
   * the gate; short, since the other tasks of the key wait it out.
   */
  static final Duration HOLDER_GRACE = Duration.ofMillis(250);

  AskOrder {
    if ((holder == null) != (holderDue == null)) {
      throw new IllegalArgumentException("a holder needs its due instant, and only a holder");
    }
  }

  /** The instant before which {@code taskId} must not ask; empty when it may ask now. */
  Optional<Instant> waitFor(String taskId, Instant now) {
    if (holder != null && now.isBefore(holderDue.plus(HOLDER_GRACE))) {
      if (holder.equals(taskId)) {
        return now.isBefore(holderDue) ? Optional.of(holderDue) : Optional.empty();
      }
      return Optional.of(holderDue.plus(HOLDER_GRACE));
    }
    return notBefore != null && now.isBefore(notBefore) ? Optional.of(notBefore) : Optional.empty();
  }

  /** {@code taskId} was deferred: it holds the place now, or it no longer does. */
  AskOrder deferred(String taskId, Admission.Deferred deferred) {
    Objects.requireNonNull(taskId, "taskId");
    if (deferred.holdsPlace()) {
      return new AskOrder(deferred.notBefore(), taskId, deferred.notBefore());
    }
    if (taskId.equals(holder)) {
      return new AskOrder(deferred.notBefore(), null, null);
    }
    return new AskOrder(deferred.notBefore(), holder, holderDue);
  }

  /** A task was admitted: the instance's place, whichever task held it, is gone. */
  AskOrder granted() {
    return new AskOrder(notBefore, null, null);
  }
}
