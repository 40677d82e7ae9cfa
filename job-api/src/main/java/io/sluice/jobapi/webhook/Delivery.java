package io.sluice.jobapi.webhook;

import java.time.Instant;

/**
 * One event for one destination, as the API shows it.
 *
 * @param id the {@code webhook-id} of every attempt ({@code msg_} and 32 hex digits)
 * @param endpointId its endpoint, or {@code null} for a job's one-off webhook
 * @param url a one-off webhook's URL, or {@code null} for an endpoint's delivery
 * @param jobId the job the event is about
 * @param eventType the event
 * @param status where it stands
 * @param attempts attempts made since it was created or last replayed
 * @param nextAttemptAt when it is tried next (pending or failed), or {@code null}
 * @param lastError what the last failed attempt came to, or {@code null}
 * @param createdAt when the job's terminal status was recorded
 * @param updatedAt when it last changed
 */
public record Delivery(
    String id,
    String endpointId,
    String url,
    String jobId,
    EventType eventType,
    DeliveryStatus status,
    int attempts,
    Instant nextAttemptAt,
    String lastError,
    Instant createdAt,
    Instant updatedAt) {}
