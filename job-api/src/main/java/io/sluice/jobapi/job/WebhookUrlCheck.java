package io.sluice.jobapi.job;

import java.net.URI;
import java.util.Optional;

/** Decides whether a job's one-off {@code webhook.url} may be called. */
@FunctionalInterface
public interface WebhookUrlCheck {
  /** Refuses every URL: webhooks are not configured. */
  WebhookUrlCheck NONE =
      url -> Optional.of("webhooks are not configured on this server (setting webhookSecretKey)");

  /** Why {@code url} is refused, or empty when it may be called. */
  Optional<String> refusal(URI url);
}
