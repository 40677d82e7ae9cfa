package io.sluice.jobapi.webhook.internal;

import java.time.Instant;

/**
 * Signing secrets as stored: encrypted, with the ID they are bound to (endpoint or tenant).
 *
 * @param ownerId the endpoint or tenant ID the secrets were encrypted for
 * @param current the current secret, encrypted
 * @param previous the rotated-out secret, encrypted, or {@code null}
 * @param previousExpiresAt when the previous secret stops signing, or {@code null}
 */
record StoredKeys(String ownerId, byte[] current, byte[] previous, Instant previousExpiresAt) {}
