package io.sluice.jobapi.webhook.internal;

import io.sluice.jobapi.webhook.SecretCipher;
import io.sluice.jobapi.webhook.SigningKeys;
import io.sluice.jobapi.webhook.WebhookSecret;

/** Seals signing keys for the database and opens them again, bound to their owner's ID. */
final class Keyring {
  private final SecretCipher cipher;

  Keyring(SecretCipher cipher) {
    this.cipher = cipher;
  }

  byte[] seal(WebhookSecret secret, String ownerId) {
    return cipher.encrypt(secret, ownerId);
  }

  StoredKeys seal(SigningKeys keys, String ownerId) {
    return new StoredKeys(
        ownerId,
        cipher.encrypt(keys.current(), ownerId),
        keys.previous() == null ? null : cipher.encrypt(keys.previous(), ownerId),
        keys.previousExpiresAt());
  }

  SigningKeys open(StoredKeys stored) {
    return new SigningKeys(
        cipher.decrypt(stored.current(), stored.ownerId()),
        stored.previous() == null ? null : cipher.decrypt(stored.previous(), stored.ownerId()),
        stored.previous() == null ? null : stored.previousExpiresAt());
  }
}
