package io.sluice.jobapi.tenant;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * API key format and hashing. A generated key is {@code sk_sluice_} and 43 characters of base64url
 * (256 random bits), so a plain SHA-256 is a safe way to store it: there is nothing to brute-force.
 * Only the hash and a short display prefix are stored; the plaintext is shown once.
 */
public final class ApiKeys {
  public static final String PREFIX = "sk_sluice_";
  public static final int MIN_LENGTH = 24;
  public static final int MAX_LENGTH = 200;
  static final int DISPLAY_PREFIX_LENGTH = 14;

  private final SecureRandom random;

  public ApiKeys(SecureRandom random) {
    this.random = random;
  }

  /** A new random key. */
  public String generate() {
    byte[] bytes = new byte[32];
    random.nextBytes(bytes);
    return PREFIX + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  /** The stored form of a key: lower-case hex SHA-256 of its UTF-8 bytes. */
  public static String hash(String plaintext) {
    try {
      MessageDigest digest = MessageDigest.getInstance("SHA-256");
      return HexFormat.of().formatHex(digest.digest(plaintext.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The start of a key, safe to show in listings and logs (e.g. {@code sk_sluice_AbCd}). */
  public static String displayPrefix(String plaintext) {
    return plaintext.substring(0, Math.min(DISPLAY_PREFIX_LENGTH, plaintext.length() / 3));
  }

  /**
   * Checks a key an operator wants to register (e.g. a stable development key).
   *
   * @throws IllegalArgumentException saying what is wrong, without echoing the key
   */
  public static void requireWellFormed(String plaintext) {
    if (plaintext == null || plaintext.length() < MIN_LENGTH || plaintext.length() > MAX_LENGTH) {
      throw new IllegalArgumentException(
          "an API key must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters long");
    }
    if (!plaintext.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new IllegalArgumentException(
          "an API key must be printable ASCII without spaces (it travels in a Bearer header)");
    }
  }
}
