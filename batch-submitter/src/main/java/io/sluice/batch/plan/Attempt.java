package io.sluice.batch.plan;

import io.sluice.schemas.task.Task;
import java.time.Instant;
import java.util.Objects;

/**
 * One item's try in a provider batch.
 *
 * @param task the deferred task
 * @param attempts the provider batches it has been in, this one included
 * @param startedAt when the deferred lane took the task
 */
public record Attempt(Task task, int attempts, Instant startedAt) {
  public Attempt {
    Objects.requireNonNull(task, "task");
    Objects.requireNonNull(startedAt, "startedAt");
    if (attempts < 1) {
      throw new IllegalArgumentException("attempts must be at least 1, was " + attempts);
    }
  }
}
