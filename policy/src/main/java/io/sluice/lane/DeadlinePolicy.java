package io.sluice.lane;

import io.sluice.schemas.task.Lane;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * The one place that decides what a job's deadline means for its lane: whether {@code auto} can
 * wait for a provider batch, when an unfinished deferred task must leave its batch for a realtime
 * lane, and when a job has expired. Plain Java, no state, no clock of its own.
 *
 * <p>A provider batch may take its whole completion window ({@code batchWindow}, 24 h at OpenAI and
 * Anthropic), so {@code auto} goes to the deferred lane only when the deadline is at least that
 * window plus {@code batchMargin} away (or there is no deadline). A deferred task still unfinished
 * {@code realtimeLead} before its deadline is run on {@link #fallbackLane()} instead; the first
 * terminal result of a task wins. A job unfinished at its deadline has expired, on every lane.
 *
 * @param batchWindow how long a provider batch may take (its completion window)
 * @param batchMargin the slack beyond the window that {@code auto} needs to choose a batch
 * @param realtimeLead how long before its deadline a task still waiting on a batch moves to a
 *     realtime lane: enough for a realtime call behind the lane's backlog
 */
public record DeadlinePolicy(Duration batchWindow, Duration batchMargin, Duration realtimeLead) {

  /** The providers' 24 h batch window, 1 h of margin for {@code auto}, fallback 1 h before. */
  public static final DeadlinePolicy DEFAULT =
      new DeadlinePolicy(Duration.ofHours(24), Duration.ofHours(1), Duration.ofHours(1));

  public DeadlinePolicy {
    requirePositive(batchWindow, "batchWindow");
    requireNotNegative(batchMargin, "batchMargin");
    requireNotNegative(realtimeLead, "realtimeLead");
  }

  /**
   * Whether a job that may wait ({@code auto}) can go to a provider batch: it has no deadline, or
   * its deadline leaves the batch window plus the margin.
   */
  public boolean batchCanMeet(Instant deadline, Instant now) {
    return deadline == null || !now.plus(batchWindow).plus(batchMargin).isAfter(deadline);
  }

  /**
   * Whether a deferred task that has not finished must now run on a realtime lane to meet its
   * deadline: {@code realtimeLead} or less is left. Never for a task without a deadline.
   */
  public boolean mustFallBack(Instant deadline, Instant now) {
    return deadline != null && !now.isBefore(deadline.minus(realtimeLead));
  }

  /** When a task with this deadline must leave its batch, or {@code null} without a deadline. */
  public Instant fallBackAt(Instant deadline) {
    return deadline == null ? null : deadline.minus(realtimeLead);
  }

  /** Whether a job with this deadline that has not finished by {@code now} has expired. */
  public boolean hasExpired(Instant deadline, Instant now) {
    return deadline != null && !now.isBefore(deadline);
  }

  /**
   * The realtime lane that deferred tasks fall back to when their deadline is near: {@code
   * standard}, ahead of bulk work that has no deadline to meet and behind interactive calls that
   * someone is waiting for.
   */
  public Lane fallbackLane() {
    return Lane.STANDARD;
  }

  private static void requirePositive(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (!value.isPositive()) {
      throw new IllegalArgumentException(name + " must be positive: " + value);
    }
  }

  private static void requireNotNegative(Duration value, String name) {
    Objects.requireNonNull(value, name);
    if (value.isNegative()) {
      throw new IllegalArgumentException(name + " must not be negative: " + value);
    }
  }
}
