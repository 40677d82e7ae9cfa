package io.sluice.jobapi.webhook;

import java.util.List;

/**
 * A tenant's webhook endpoints. Another tenant's endpoint is not found ({@link
 * WebhookNotFoundException}); a bad body throws {@link InvalidWebhookRequestException} and changes
 * nothing.
 */
public interface WebhookEndpoints {

  /** Creates an endpoint from a JSON body {@code {url, event_types?, description?}}. */
  IssuedSecret create(String tenantId, byte[] body);

  List<WebhookEndpoint> list(String tenantId);

  WebhookEndpoint get(String tenantId, String endpointId);

  /**
   * Changes an endpoint from a JSON body {@code {url?, event_types?, description?, enabled?}};
   * enabling clears the reason it was disabled.
   */
  WebhookEndpoint update(String tenantId, String endpointId, byte[] body);

  /** Deletes the endpoint and its deliveries. */
  void delete(String tenantId, String endpointId);

  /** A new secret; the old one signs beside it for the grace period. */
  IssuedSecret rotateSecret(String tenantId, String endpointId);

  /**
   * A new default secret for the tenant's one-off webhooks (a job's {@code webhook.url}); the old
   * one signs beside it for the grace period.
   */
  WebhookSecret rotateTenantSecret(String tenantId);
}
