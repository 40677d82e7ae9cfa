package io.sluice.batch.store;

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
 * @param current whether the item is still waiting for this batch (not already decided)
 */
public record BatchMember(
    String customId, long itemId, int attempt, Task task, Instant receivedAt, boolean current) {}
