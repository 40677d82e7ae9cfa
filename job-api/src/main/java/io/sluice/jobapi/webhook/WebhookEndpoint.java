package io.sluice.jobapi.webhook;

import java.time.Instant;
import java.util.List;

/**
 * A tenant's webhook endpoint as the API shows it (its secrets are never part of it).
 *
 * @param id {@code we_} and 32 hex digits
 * @param tenantId the tenant that owns it
 * @param url where deliveries are sent
 * @param eventTypes the events it receives
 * @param description the tenant's note
 * @param enabled whether deliveries are sent to it
 * @param disabledReason why it is disabled (by the tenant, a 410, or five days of failures)
 * @param disabledAt when it was disabled
 * @param createdAt when it was created
 * @param updatedAt when it last changed
 */
public record WebhookEndpoint(
    String id,
    String tenantId,
    String url,
    List<EventType> eventTypes,
    String description,
    boolean enabled,
    String disabledReason,
    Instant disabledAt,
    Instant createdAt,
    Instant updatedAt) {

  public WebhookEndpoint {
    eventTypes = List.copyOf(eventTypes);
  }
}
