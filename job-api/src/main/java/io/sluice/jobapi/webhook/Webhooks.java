package io.sluice.jobapi.webhook;

import io.sluice.jobapi.bulk.batches.BatchEndedListener;
import io.sluice.jobapi.job.JobFinishedListener;
import io.sluice.jobapi.job.WebhookUrlCheck;
import io.sluice.jobapi.store.Database;
import io.sluice.jobapi.webhook.internal.WebhookAssembly;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** The webhook feature's parts on PostgreSQL, for job-api's composition root. */
public final class Webhooks {
  private Webhooks() {}

  /** Webhooks as {@code settings} say; off (every call answered "not configured") without a key. */
  public static WebhookParts on(
      Database database, WebhookSettings settings, SecureRandom random, Clock clock) {
    return settings.enabled()
        ? new WebhookAssembly(database, settings, random, clock)
        : new NotConfigured();
  }

  private static final class NotConfigured
      implements WebhookParts, WebhookEndpoints, WebhookDeliveries {
    @Override
    public WebhookUrlCheck urlCheck() {
      return WebhookUrlCheck.NONE;
    }

    @Override
    public JobFinishedListener finishedListener() {
      return JobFinishedListener.NONE;
    }

    @Override
    public BatchEndedListener batchEndedListener() {
      return BatchEndedListener.NONE;
    }

    @Override
    public WebhookEndpoints endpoints() {
      return this;
    }

    @Override
    public WebhookDeliveries deliveries() {
      return this;
    }

    @Override
    public void startSender() {}

    @Override
    public void close() {}

    @Override
    public IssuedSecret create(String tenantId, byte[] body) {
      throw new WebhooksNotConfiguredException();
    }

    @Override
    public List<WebhookEndpoint> list(String tenantId) {
      throw new WebhooksNotConfiguredException();
    }

    @Override
    public WebhookEndpoint get(String tenantId, String endpointId) {
      throw new WebhooksNotConfiguredException();
    }

    @Override
    public WebhookEndpoint update(String tenantId, String endpointId, byte[] body) {
      throw new WebhooksNotConfiguredException();
    }

    @Override
    public void delete(String tenantId, String endpointId) {
      throw new WebhooksNotConfiguredException();
    }

    @Override
    public IssuedSecret rotateSecret(String tenantId, String endpointId) {
      throw new WebhooksNotConfiguredException();
    }

    @Override
    public WebhookSecret rotateTenantSecret(String tenantId) {
      throw new WebhooksNotConfiguredException();
    }

    @Override
    public List<Delivery> list(String tenantId, String endpointId, int limit) {
      throw new WebhooksNotConfiguredException();
    }

    @Override
    public List<Attempt> attempts(String tenantId, String endpointId, String deliveryId) {
      throw new WebhooksNotConfiguredException();
    }

    @Override
    public Delivery replay(String tenantId, String endpointId, String deliveryId) {
      throw new WebhooksNotConfiguredException();
    }

    @Override
    public int replaySince(String tenantId, String endpointId, Instant since) {
      throw new WebhooksNotConfiguredException();
    }

    @Override
    public List<Delivery> ofJob(String tenantId, String jobId) {
      throw new WebhooksNotConfiguredException();
    }

    @Override
    public List<Attempt> attempts(String tenantId, String deliveryId) {
      throw new WebhooksNotConfiguredException();
    }

    @Override
    public Delivery replay(String tenantId, String deliveryId) {
      throw new WebhooksNotConfiguredException();
    }
  }
}
