package io.sluice.jobapi.http.internal;

import io.micronaut.context.annotation.Requires;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.io.buffer.ByteBuffer;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.sluice.jobapi.http.JobApiBeans;
import io.sluice.jobapi.http.WebhookResources.AttemptView;
import io.sluice.jobapi.http.WebhookResources.DeliveryView;
import io.sluice.jobapi.http.WebhookResources.Endpoint;
import io.sluice.jobapi.http.WebhookResources.Page;
import io.sluice.jobapi.http.WebhookResources.Replayed;
import io.sluice.jobapi.http.WebhookResources.TenantSecret;
import io.sluice.jobapi.job.JobLookup;
import io.sluice.jobapi.tenant.Authenticator;
import io.sluice.jobapi.webhook.InvalidWebhookRequestException;
import io.sluice.jobapi.webhook.IssuedSecret;
import io.sluice.jobapi.webhook.WebhookDeliveries;
import io.sluice.jobapi.webhook.WebhookEndpoints;
import io.sluice.jobapi.webhook.WebhookNotFoundException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * {@code /v1/webhook-endpoints} and {@code /v1/webhook-secret}: a tenant's endpoints, their
 * deliveries and attempts, replays, secret rotation; {@code /v1/jobs/{id}/webhook-deliveries} and
 * {@code /v1/webhook-deliveries/{id}}: a job's deliveries whatever their destination (a one-off
 * webhook has no endpoint to list them under). Thin: authenticates and hands over.
 */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
@Requires(property = JobApiBeans.ENABLED, value = "true")
public final class WebhookEndpointController {
  private static final String BASE = "/v1/webhook-endpoints";
  private static final String DELIVERIES = "/v1/webhook-deliveries";
  private static final int DEFAULT_LIMIT = 100;
  private static final int MAX_LIMIT = 1000;

  private final Authenticator authenticator;
  private final WebhookEndpoints endpoints;
  private final WebhookDeliveries deliveries;
  private final JobLookup jobs;

  public WebhookEndpointController(
      Authenticator authenticator,
      WebhookEndpoints endpoints,
      WebhookDeliveries deliveries,
      JobLookup jobs) {
    this.authenticator = authenticator;
    this.endpoints = endpoints;
    this.deliveries = deliveries;
    this.jobs = jobs;
  }

  @Post(uri = BASE, consumes = MediaType.APPLICATION_JSON, produces = MediaType.APPLICATION_JSON)
  public HttpResponse<Endpoint> create(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @Nullable @Body ByteBuffer<?> body) {
    String tenantId = authenticator.tenantOf(authorization);
    IssuedSecret issued = endpoints.create(tenantId, bytes(body));
    return HttpResponse.<Endpoint>status(HttpStatus.CREATED)
        .header(HttpHeaders.LOCATION, BASE + "/" + issued.endpoint().id())
        .body(Endpoint.of(issued));
  }

  @Get(uri = BASE, produces = MediaType.APPLICATION_JSON)
  public Page<Endpoint> list(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
    String tenantId = authenticator.tenantOf(authorization);
    return new Page<>(endpoints.list(tenantId).stream().map(Endpoint::of).toList());
  }

  @Get(uri = BASE + "/{id}", produces = MediaType.APPLICATION_JSON)
  public Endpoint get(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @PathVariable String id) {
    return Endpoint.of(endpoints.get(authenticator.tenantOf(authorization), id));
  }

  @Patch(
      uri = BASE + "/{id}",
      consumes = MediaType.APPLICATION_JSON,
      produces = MediaType.APPLICATION_JSON)
  public Endpoint update(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @PathVariable String id,
      @Nullable @Body ByteBuffer<?> body) {
    String tenantId = authenticator.tenantOf(authorization);
    return Endpoint.of(endpoints.update(tenantId, id, bytes(body)));
  }

  @Delete(uri = BASE + "/{id}")
  public HttpResponse<Void> delete(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @PathVariable String id) {
    endpoints.delete(authenticator.tenantOf(authorization), id);
    return HttpResponse.noContent();
  }

  @Post(uri = BASE + "/{id}/rotate-secret", produces = MediaType.APPLICATION_JSON)
  public Endpoint rotateSecret(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, @PathVariable String id) {
    return Endpoint.of(endpoints.rotateSecret(authenticator.tenantOf(authorization), id));
  }

  @Get(uri = BASE + "/{id}/deliveries", produces = MediaType.APPLICATION_JSON)
  public Page<DeliveryView> deliveries(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @PathVariable String id,
      @Nullable @QueryValue String limit) {
    String tenantId = authenticator.tenantOf(authorization);
    return new Page<>(
        deliveries.list(tenantId, id, limit(limit)).stream().map(DeliveryView::of).toList());
  }

  @Get(uri = BASE + "/{id}/deliveries/{deliveryId}/attempts", produces = MediaType.APPLICATION_JSON)
  public Page<AttemptView> attempts(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @PathVariable String id,
      @PathVariable String deliveryId) {
    String tenantId = authenticator.tenantOf(authorization);
    return new Page<>(
        deliveries.attempts(tenantId, id, deliveryId).stream().map(AttemptView::of).toList());
  }

  @Post(uri = BASE + "/{id}/deliveries/{deliveryId}/replay", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<DeliveryView> replay(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @PathVariable String id,
      @PathVariable String deliveryId) {
    String tenantId = authenticator.tenantOf(authorization);
    return HttpResponse.accepted()
        .body(DeliveryView.of(deliveries.replay(tenantId, id, deliveryId)));
  }

  @Post(uri = BASE + "/{id}/replay", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<Replayed> replaySince(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @PathVariable String id,
      @Nullable @QueryValue String since) {
    String tenantId = authenticator.tenantOf(authorization);
    Instant from = since(since);
    return HttpResponse.accepted().body(new Replayed(deliveries.replaySince(tenantId, id, from)));
  }

  @Get(uri = "/v1/jobs/{jobId}/webhook-deliveries", produces = MediaType.APPLICATION_JSON)
  public Page<DeliveryView> deliveriesOfJob(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @PathVariable String jobId) {
    String tenantId = authenticator.tenantOf(authorization);
    if (jobs.find(tenantId, jobId).isEmpty()) {
      throw new WebhookNotFoundException("job", jobId);
    }
    return new Page<>(deliveries.ofJob(tenantId, jobId).stream().map(DeliveryView::of).toList());
  }

  @Get(uri = DELIVERIES + "/{deliveryId}/attempts", produces = MediaType.APPLICATION_JSON)
  public Page<AttemptView> attemptsOfDelivery(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @PathVariable String deliveryId) {
    String tenantId = authenticator.tenantOf(authorization);
    return new Page<>(
        deliveries.attempts(tenantId, deliveryId).stream().map(AttemptView::of).toList());
  }

  @Post(uri = DELIVERIES + "/{deliveryId}/replay", produces = MediaType.APPLICATION_JSON)
  public HttpResponse<DeliveryView> replayDelivery(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
      @PathVariable String deliveryId) {
    String tenantId = authenticator.tenantOf(authorization);
    return HttpResponse.accepted().body(DeliveryView.of(deliveries.replay(tenantId, deliveryId)));
  }

  @Post(uri = "/v1/webhook-secret", produces = MediaType.APPLICATION_JSON)
  public TenantSecret rotateTenantSecret(
      @Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization) {
    String tenantId = authenticator.tenantOf(authorization);
    return new TenantSecret(endpoints.rotateTenantSecret(tenantId).written());
  }

  private static byte[] bytes(ByteBuffer<?> body) {
    return body == null ? new byte[0] : body.toByteArray();
  }

  private static int limit(String value) {
    if (value == null) {
      return DEFAULT_LIMIT;
    }
    try {
      int limit = Integer.parseInt(value);
      if (limit >= 1 && limit <= MAX_LIMIT) {
        return limit;
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw InvalidWebhookRequestException.of("limit", "must be an integer from 1 to " + MAX_LIMIT);
  }

  private static Instant since(String value) {
    if (value == null) {
      throw InvalidWebhookRequestException.of(
          "since", "is required: an RFC 3339 date-time, e.g. 2030-01-31T18:00:00Z");
    }
    try {
      return OffsetDateTime.parse(value).toInstant();
    } catch (DateTimeParseException e) {
      throw InvalidWebhookRequestException.of(
          "since", "must be an RFC 3339 date-time with offset, e.g. 2030-01-31T18:00:00Z");
    }
  }
}
