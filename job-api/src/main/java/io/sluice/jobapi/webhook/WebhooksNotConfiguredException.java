package io.sluice.jobapi.webhook;

/** This job-api has no {@code webhookSecretKey}, so it keeps no webhook secrets (HTTP 503). */
public final class WebhooksNotConfiguredException extends RuntimeException {
  public WebhooksNotConfiguredException() {
    super("webhooks are not configured on this server (setting webhookSecretKey)");
  }
}
