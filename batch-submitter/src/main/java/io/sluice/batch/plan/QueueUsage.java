package io.sluice.batch.plan;

import java.time.Instant;

/**
 * What Sluice has in one provider account's batch queue now, derived from its own records
 * (PostgreSQL), so that the count survives a restart: the lines of its batches that are planned,
 * being created or not yet ended.
 *
 * @param enqueuedTokens estimated prompt tokens of the group's model in unfinished batches
 * @param enqueuedRequests requests in unfinished batches of the whole account
 * @param creationsLastHour batches of the account created (or being created) in the last hour
 * @param lastRefusal when the provider last refused a batch of this group for room in its queue, or
 *     {@code null}
 * @param recentRefusals how many such refusals in the last hour
 */
public record QueueUsage(
    long enqueuedTokens,
    long enqueuedRequests,
    long creationsLastHour,
    Instant lastRefusal,
    int recentRefusals) {

  /** Nothing enqueued, nothing refused. */
  public static final QueueUsage EMPTY = new QueueUsage(0, 0, 0, null, 0);
}
