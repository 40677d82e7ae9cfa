package io.sluice.jobapi.tenant;

import java.time.Instant;

/**
 * What is stored about an API key: never the key itself.
 *
 * @param id the key's ID
 * @param tenantId the tenant it authenticates as
 * @param displayPrefix its first characters, to recognise it in listings
 * @param createdAt when it was issued or registered
 * @param expiresAt when it stops working by itself, or {@code null} for never
 * @param revokedAt when it was revoked, or {@code null}
 */
public record ApiKeyInfo(
    String id,
    String tenantId,
    String displayPrefix,
    Instant createdAt,
    Instant expiresAt,
    Instant revokedAt) {

  /** A key that never expires and is not revoked. */
  public ApiKeyInfo(String id, String tenantId, String displayPrefix, Instant createdAt) {
    this(id, tenantId, displayPrefix, createdAt, null, null);
  }

  /** The key's state at {@code now}. */
  public KeyStatus statusAt(Instant now) {
    if (revokedAt != null) {
      return KeyStatus.REVOKED;
    }
    if (expiresAt != null && !now.isBefore(expiresAt)) {
      return KeyStatus.EXPIRED;
    }
    return KeyStatus.ACTIVE;
  }

  /** Whether a key is usable. */
  public enum KeyStatus {
    ACTIVE,
    EXPIRED,
    REVOKED;

    public String wireName() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }
}
