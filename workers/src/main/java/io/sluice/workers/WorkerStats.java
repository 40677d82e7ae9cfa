package io.sluice.workers;

import java.time.Duration;

/**
 * Counters of one worker pool since it started.
 *
 * @param succeeded tasks whose succeeded result was published
 * @param failed tasks whose failed result was published (permanent error, attempts exhausted,
 *     delivery limit reached, or larger than the rate limit allows)
 * @param retries provider calls that were repeated after a retriable failure
 * @param deadLettered records set aside on the dead-letter topic
 * @param released tasks handed back for redelivery (shutdown, a result that could not be published,
 *     a rate-limit wait longer than a record lock can sensibly be held, or a record read before the
 *     rate limiter began to bind that waited behind its lane's head)
 * @param lockRenewals record locks renewed while a task waited, ran or waited to retry
 * @param inFlight tasks being processed right now
 * @param rateLimited provider answers with HTTP 429 (a failure of the limiter: should stay 0)
 * @param admitted tasks admitted to their first provider call (by the pool's slots and the rate
 *     limiter)
 * @param deferred times the rate limiter said "not yet" for a task's first call
 * @param limiterWaitP50 median time from reading a task's record to its admission (waiting for a
 *     free slot and for the rate limiter), over the last 65,536 admissions
 * @param limiterWaitP99 99th percentile of the same
 * @param cancelled tasks dropped without a further provider call because their job was cancelled
 * @param cancelledJobsKnown cancelled jobs the pool remembers now (read from {@code jobs.control})
 * @param repairs repair calls made because an output did not satisfy its task's response schema
 */
public record WorkerStats(
    long succeeded,
    long failed,
    long retries,
    long deadLettered,
    long released,
    long lockRenewals,
    int inFlight,
    long rateLimited,
    long admitted,
    long deferred,
    Duration limiterWaitP50,
    Duration limiterWaitP99,
    long cancelled,
    int cancelledJobsKnown,
    long repairs) {}
