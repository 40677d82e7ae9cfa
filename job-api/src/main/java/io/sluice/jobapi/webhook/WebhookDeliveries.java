package io.sluice.jobapi.webhook;

import java.time.Instant;
import java.util.List;

/** A tenant's deliveries: what was sent, how each attempt went, and replays. */
public interface WebhookDeliveries {

  /** The endpoint's deliveries, newest first, at most {@code limit}. */
  List<Delivery> list(String tenantId, String endpointId, int limit);

  List<Attempt> attempts(String tenantId, String endpointId, String deliveryId);

  /** Sends the delivery again with the same {@code webhook-id}, on a fresh retry schedule. */
  Delivery replay(String tenantId, String endpointId, String deliveryId);

  /** Replays every failed or dead delivery of the endpoint created at or after {@code since}. */
  int replaySince(String tenantId, String endpointId, Instant since);
}
