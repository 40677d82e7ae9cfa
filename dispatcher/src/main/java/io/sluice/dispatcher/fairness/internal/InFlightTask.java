package io.sluice.dispatcher.fairness.internal;

/**
 * A paced task released to its topic and not finished: it counts against its queue's window.
 *
 * @param queue the queue it was released from ({@code <provider>/<lane>})
 * @param tenant its tenant
 * @param releasedAt when it was released (epoch ms), for the release timeout
 */
public record InFlightTask(String queue, String tenant, long releasedAt) {}
