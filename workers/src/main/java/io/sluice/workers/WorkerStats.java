package io.sluice.workers;

/**
 * Counters of one worker pool since it started.
 *
 * @param succeeded tasks whose succeeded result was published
 * @param failed tasks whose failed result was published (permanent error, attempts exhausted or
 *     delivery limit reached)
 * @param retries provider calls that were repeated after a retriable failure
 * @param deadLettered records set aside on the dead-letter topic
 * @param released tasks handed back for redelivery (shutdown, or a result that could not be
 *     published)
 * @param lockRenewals record locks renewed while a call or a retry wait was running
 * @param inFlight tasks being processed right now
 */
public record WorkerStats(
    long succeeded,
    long failed,
    long retries,
    long deadLettered,
    long released,
    long lockRenewals,
    int inFlight) {}
