package io.sluice.jobapi.job;

/**
 * The answer to a job submission.
 *
 * @param job the job, as stored
 * @param created true for a new job (HTTP 202), false when an Idempotency-Key retry got the job the
 *     first request created (HTTP 200)
 */
public record Submission(Job job, boolean created) {}
