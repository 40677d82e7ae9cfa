package io.sluice.jobapi.webhook;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts webhook secrets for the database with AES-256-GCM: a fresh 12-byte nonce, then the
 * ciphertext and its 16-byte tag. The owner's ID (endpoint or tenant) is authenticated alongside,
 * so a secret copied onto another row does not decrypt.
 */
public final class SecretCipher {
  public static final int KEY_BYTES = 32;
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;

  private final SecretKeySpec key;
  private final SecureRandom random;

  public SecretCipher(byte[] key, SecureRandom random) {
    if (key.length != KEY_BYTES) {
      throw new IllegalArgumentException("the webhook secret key must be 32 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), "AES");
    this.random = random;
  }

  /** A cipher with the base64 key of the setting {@code webhookSecretKey}. */
  public static SecretCipher fromBase64(String base64Key, SecureRandom random) {
    return new SecretCipher(Base64.getDecoder().decode(base64Key), random);
  }

  /** Whether {@code base64Key} is a usable key: base64 of exactly 32 bytes. */
  public static boolean isKey(String base64Key) {
    try {
      return base64Key != null && Base64.getDecoder().decode(base64Key).length == KEY_BYTES;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  public byte[] encrypt(WebhookSecret secret, String ownerId) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    byte[] sealed = run(Cipher.ENCRYPT_MODE, nonce, ownerId, secret.bytes());
    byte[] stored = Arrays.copyOf(nonce, NONCE_BYTES + sealed.length);
    System.arraycopy(sealed, 0, stored, NONCE_BYTES, sealed.length);
    return stored;
  }

  /**
   * @throws IllegalStateException when the bytes were not sealed with this key for this owner
   */
  public WebhookSecret decrypt(byte[] stored, String ownerId) {
    byte[] nonce = Arrays.copyOf(stored, NONCE_BYTES);
    byte[] sealed = Arrays.copyOfRange(stored, NONCE_BYTES, stored.length);
    return new WebhookSecret(run(Cipher.DECRYPT_MODE, nonce, ownerId, sealed));
  }

  private byte[] run(int mode, byte[] nonce, String ownerId, byte[] input) {
    try {
      Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
      cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
      cipher.updateAAD(ownerId.getBytes(StandardCharsets.UTF_8));
      return cipher.doFinal(input);
    } catch (GeneralSecurityException e) {
      // No cause: nothing about the key or the secret may reach a log.
      throw new IllegalStateException(
          "a stored webhook secret of "
              + ownerId
              + " cannot be decrypted (is webhookSecretKey the key it was stored with?)");
    }
  }

  @Override
  public String toString() {
    return "SecretCipher[***]";
  }
}
