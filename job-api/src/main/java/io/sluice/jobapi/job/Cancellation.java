package io.sluice.jobapi.job;

/**
 * The answer to a cancel request.
 *
 * @param job the job as it is now: still {@code queued} or {@code running} until the dispatcher's
 *     {@code cancelled} event is projected, or already {@code cancelled}
 * @param alreadyCancelled the job had ended {@code cancelled} before this request (nothing written)
 */
public record Cancellation(Job job, boolean alreadyCancelled) {}
