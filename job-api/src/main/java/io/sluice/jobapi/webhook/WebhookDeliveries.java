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

  /**
   * Every delivery of the tenant's job, to its endpoints and to the job's one-off webhook, oldest
   * first. Empty for a job with none (the caller checks that the job is the tenant's).
   */
  List<Delivery> ofJob(String tenantId, String jobId);

  /** A delivery's attempts, whatever its destination (a one-off webhook's too). */
  List<Attempt> attempts(String tenantId, String deliveryId);

  /** Sends a delivery again, whatever its destination (a one-off webhook's too). */
  Delivery replay(String tenantId, String deliveryId);
}
