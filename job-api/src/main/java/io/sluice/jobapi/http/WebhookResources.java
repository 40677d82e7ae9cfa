package io.sluice.jobapi.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.sluice.jobapi.webhook.Attempt;
import io.sluice.jobapi.webhook.Delivery;
import io.sluice.jobapi.webhook.EventType;
import io.sluice.jobapi.webhook.IssuedSecret;
import io.sluice.jobapi.webhook.WebhookEndpoint;
import java.time.Instant;
import java.util.List;

/** The JSON shapes of {@code /v1/webhook-endpoints}. Fields without a value are left out. */
public final class WebhookResources {
  private WebhookResources() {}

  /** A list: {@code {"data": [...]}}. */
  public record Page<T>(List<T> data) {}

  /**
   * An endpoint; {@code secret} only in the answer that issued it (creation, rotation).
   *
   * @param id the endpoint's ID
   * @param url where deliveries go
   * @param eventTypes what it receives
   * @param description the tenant's note
   * @param enabled whether deliveries are sent
   * @param disabledReason why not
   * @param disabledAt since when not
   * @param createdAt when it was created
   * @param updatedAt when it last changed
   * @param secret its new signing secret, {@code whsec_...}
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Endpoint(
      String id,
      String url,
      List<String> eventTypes,
      String description,
      boolean enabled,
      String disabledReason,
      Instant disabledAt,
      Instant createdAt,
      Instant updatedAt,
      String secret) {

    public static Endpoint of(WebhookEndpoint e) {
      return new Endpoint(
          e.id(),
          e.url(),
          e.eventTypes().stream().map(EventType::wireName).toList(),
          e.description(),
          e.enabled(),
          e.disabledReason(),
          e.disabledAt(),
          e.createdAt(),
          e.updatedAt(),
          null);
    }

    public static Endpoint of(IssuedSecret issued) {
      Endpoint e = of(issued.endpoint());
      return new Endpoint(
          e.id,
          e.url,
          e.eventTypes,
          e.description,
          e.enabled,
          e.disabledReason,
          e.disabledAt,
          e.createdAt,
          e.updatedAt,
          issued.secret().written());
    }
  }

  /**
   * A delivery.
   *
   * @param id the {@code webhook-id} of every attempt
   * @param endpointId the endpoint it goes to; absent for a job's one-off webhook
   * @param url the one-off webhook's URL; absent for an endpoint's delivery
   * @param eventType the event
   * @param jobId the job it is about
   * @param status pending, failed (retrying), succeeded or dead
   * @param attempts attempts since creation or the last replay
   * @param nextAttemptAt when it is tried next
   * @param lastError what the last failed attempt came to
   * @param createdAt when it was created
   * @param updatedAt when it last changed
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record DeliveryView(
      String id,
      String endpointId,
      String url,
      String eventType,
      String jobId,
      String status,
      int attempts,
      Instant nextAttemptAt,
      String lastError,
      Instant createdAt,
      Instant updatedAt) {

    public static DeliveryView of(Delivery d) {
      return new DeliveryView(
          d.id(),
          d.endpointId(),
          d.url(),
          d.eventType().wireName(),
          d.jobId(),
          d.status().wireName(),
          d.attempts(),
          d.nextAttemptAt(),
          d.lastError(),
          d.createdAt(),
          d.updatedAt());
    }
  }

  /**
   * An attempt.
   *
   * @param attemptedAt when it ended
   * @param statusCode the HTTP status answered, absent when none
   * @param latencyMs how long it took
   * @param error why it failed
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record AttemptView(Instant attemptedAt, Integer statusCode, long latencyMs, String error) {
    public static AttemptView of(Attempt a) {
      return new AttemptView(a.attemptedAt(), a.statusCode(), a.latencyMs(), a.error());
    }
  }

  /**
   * The answer to a replay of everything failed since a time.
   *
   * @param replayed how many deliveries were made due again
   */
  public record Replayed(int replayed) {}

  /**
   * The tenant's new default secret for one-off webhooks.
   *
   * @param secret {@code whsec_...}, shown this once
   */
  public record TenantSecret(String secret) {}
}
