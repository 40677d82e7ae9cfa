package io.sluice.lane;

import java.time.Instant;
import java.util.Objects;

/**
 * A task a worker pool holds and has not started: what the lane policy may look at to choose the
 * next one to start.
 *
 * @param id identifies the task within its pool (the pool maps the choice back to its record)
 * @param model the model it calls; {@code null} when the record is unreadable (never deferred: it
 *     only goes to the dead-letter topic)
 * @param tenant the tenant that owns it, or {@code null} when unknown (weighs the default)
 * @param heldSince when the pool took it from Kafka; the policy counts starts ({@link
 *     RecentStarts}) rather than waiting times to keep each lane's share
 */
public record WaitingTask(String id, String model, String tenant, Instant heldSince) {
  public WaitingTask {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(heldSince, "heldSince");
  }
}
