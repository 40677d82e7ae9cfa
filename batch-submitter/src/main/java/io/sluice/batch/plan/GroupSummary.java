package io.sluice.batch.plan;

import java.time.Instant;

/**
 * What the store can tell cheaply about one group's eligible pending items, so that the items are
 * read only when a flush may be due.
 *
 * @param items how many
 * @param bytes their estimated line bytes together
 * @param oldestEligible the earliest {@code eligibleAt}
 * @param earliestDeadline the earliest deadline, or {@code null} when none has one
 * @param anyRestricted whether any is a resubmission with a size bound of its own
 */
public record GroupSummary(
    long items,
    long bytes,
    Instant oldestEligible,
    Instant earliestDeadline,
    boolean anyRestricted) {}
