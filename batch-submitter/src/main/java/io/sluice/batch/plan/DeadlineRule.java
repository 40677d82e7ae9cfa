package io.sluice.batch.plan;

import io.sluice.lane.DeadlinePolicy;
import java.time.Instant;
import java.util.Objects;

/**
 * What a deadline means for an item of the deferred lane, on {@link DeadlinePolicy}:
 *
 * <ul>
 *   <li>a pending item whose deadline has passed is {@linkplain Action#EXPIRE expired}: never
 *       submitted, an expired result published;
 *   <li>a pending item, or a line of an unfinished provider batch, with {@code realtimeLead} or
 *       less left {@linkplain Action#FALL_BACK falls back} to the realtime lane;
 *   <li>a line of an unfinished batch whose deadline has already passed stays where it is: a
 *       realtime call could not finish in time either, the dispatcher has ended the job {@code
 *       expired}, and the batch's result (if any) is still published for its cost;
 *   <li>anything else is {@linkplain Action#KEEP kept}.
 * </ul>
 *
 * @param deadlines the deadline policy shared with the dispatcher
 */
public record DeadlineRule(DeadlinePolicy deadlines) {

  /** What to do with an item now. */
  public enum Action {
    KEEP,
    FALL_BACK,
    EXPIRE
  }

  public DeadlineRule {
    Objects.requireNonNull(deadlines, "deadlines");
  }

  /**
   * @param state where the item is
   * @param deadline its job's deadline, or {@code null}
   */
  public Action decide(ItemState state, Instant deadline, Instant now) {
    if (deadline == null || !deadlines.mustFallBack(deadline, now)) {
      return Action.KEEP;
    }
    boolean expired = deadlines.hasExpired(deadline, now);
    return switch (state) {
      case PENDING -> expired ? Action.EXPIRE : Action.FALL_BACK;
      case IN_BATCH -> expired ? Action.KEEP : Action.FALL_BACK;
      default -> Action.KEEP;
    };
  }

  /** The latest deadline that may need an action now: items due later are kept. */
  public Instant actionableBefore(Instant now) {
    return now.plus(deadlines.realtimeLead());
  }
}
