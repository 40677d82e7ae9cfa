package io.sluice.jobapi.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The secrets that sign for one endpoint (or a tenant's one-off webhooks): the current one, and
 * after a rotation the previous one until its grace period ends.
 *
 * @param current signs every delivery
 * @param previous signs beside it until {@code previousExpiresAt}, or {@code null}
 * @param previousExpiresAt when the previous secret stops signing, or {@code null}
 */
public record SigningKeys(
    WebhookSecret current, WebhookSecret previous, Instant previousExpiresAt) {

  public SigningKeys {
    Objects.requireNonNull(current, "current");
    if ((previous == null) != (previousExpiresAt == null)) {
      throw new IllegalArgumentException("a previous secret needs its expiry, and only it");
    }
  }

  public static SigningKeys of(WebhookSecret current) {
    return new SigningKeys(current, null, null);
  }

  /** The secrets that sign at {@code now}: the current one first. */
  public List<WebhookSecret> signingAt(Instant now) {
    return previous != null && now.isBefore(previousExpiresAt)
        ? List.of(current, previous)
        : List.of(current);
  }

  /** These keys after a rotation to {@code next}: the current one signs on for {@code grace}. */
  public SigningKeys rotate(WebhookSecret next, Instant now, Duration grace) {
    return grace.isZero() ? of(next) : new SigningKeys(next, current, now.plus(grace));
  }

  @Override
  public String toString() {
    return "SigningKeys[previousExpiresAt=" + previousExpiresAt + "]";
  }
}
