package io.sluice.batch.store;

import io.sluice.batch.plan.ItemState;
import io.sluice.schemas.job.Placement;
import io.sluice.schemas.task.Task;
import java.time.Instant;

/**
 * One line of a provider batch with the task it carries.
 *
 * @param customId the line's {@code custom_id}
 * @param itemId the pending item
 * @param attempt which attempt of the item this line is
 * @param task the task
 * @param receivedAt when the deferred lane took the task
 * @param current whether the item still waits for this batch (not already decided, not cancelled;
 *     an item that fell back to a realtime lane still does: a success is published for its cost)
 * @param state where the item is now
 * @param placement where the item was last placed, or {@code null}
 */
public record BatchMember(
    String customId,
    long itemId,
    int attempt,
    Task task,
    Instant receivedAt,
    boolean current,
    ItemState state,
    Placement placement) {}
