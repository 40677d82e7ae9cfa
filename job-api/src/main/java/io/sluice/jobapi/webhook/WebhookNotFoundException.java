package io.sluice.jobapi.webhook;

/** No such endpoint or delivery for this tenant (another tenant's answers the same: HTTP 404). */
public final class WebhookNotFoundException extends RuntimeException {
  public WebhookNotFoundException(String what, String id) {
    super("no " + what + " with id '" + id + "' exists for this key");
  }
}
