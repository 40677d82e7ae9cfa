package io.sluice.batch.plan;

import io.sluice.schemas.job.Placement;
import io.sluice.schemas.task.Task;
import java.time.Instant;
import java.util.Objects;

/**
 * One item's try in a provider batch.
 *
 * @param task the deferred task
 * @param attempts the provider batches it has been in, this one included
 * @param startedAt when the deferred lane took the task
 * @param placement where the task was last placed (carried by its terminal result), or {@code null}
 * @param fellBack whether it has already been moved to a realtime lane for its deadline: its line
 *     is never resubmitted, and only a success is still published (its cost is real)
 */
public record Attempt(
    Task task, int attempts, Instant startedAt, Placement placement, boolean fellBack) {
  public Attempt {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(startedAt, "startedAt");
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
    }
  }

  /** A try of a task still in the deferred lane, without a recorded placement. */
  public Attempt(Task task, int attempts, Instant startedAt) {
    this(task, attempts, startedAt, null, false);
  }
}
