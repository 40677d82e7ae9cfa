package io.sluice.jobapi.webhook;

import java.util.List;

/**
 * A valid create or update body of {@code /v1/webhook-endpoints}; {@code null} means "not given".
 *
 * @param url where to send
 * @param eventTypes what to send
 * @param description the tenant's note
 * @param enabled enable or disable (update only)
 */
public record EndpointRequest(
    String url, List<EventType> eventTypes, String description, Boolean enabled) {}
