package io.sluice.jobapi.webhook.internal;

import io.sluice.egress.EgressCheck;
import io.sluice.egress.EgressGuard;
import io.sluice.jobapi.job.WebhookUrlCheck;
import java.net.URI;
import java.util.Optional;

/** The egress rules decide, at registration and submission, which webhook URLs are allowed. */
final class EgressUrlCheck implements WebhookUrlCheck {
  private final EgressGuard guard;

  EgressUrlCheck(EgressGuard guard) {
    this.guard = guard;
  }

  @Override
  public Optional<String> refusal(URI url) {
    return switch (guard.check(url)) {
      case EgressCheck.Allowed allowed -> Optional.empty();
      case EgressCheck.Refused refused -> Optional.of(refused.reason());
    };
  }
}
