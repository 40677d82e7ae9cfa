package io.sluice.jobapi.webhook;

import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;

/**
 * A signing secret: 24 to 64 random bytes, written {@code whsec_<base64>} as Standard Webhooks
 * receivers expect it. {@link #toString()} never shows the bytes.
 */
public final class WebhookSecret {
  public static final String PREFIX = "whsec_";
  public static final int MIN_BYTES = 24;
  public static final int MAX_BYTES = 64;
  static final int GENERATED_BYTES = 32;

  private final byte[] bytes;

  public WebhookSecret(byte[] bytes) {
    if (bytes.length < MIN_BYTES || bytes.length > MAX_BYTES) {
      throw new IllegalArgumentException(
          "a webhook secret has " + MIN_BYTES + " to " + MAX_BYTES + " bytes");
    }
    this.bytes = bytes.clone();
  }

  public static WebhookSecret generate(SecureRandom random) {
    byte[] bytes = new byte[GENERATED_BYTES];
    random.nextBytes(bytes);
    return new WebhookSecret(bytes);
  }

  /** The bytes the HMAC is keyed with. */
  public byte[] bytes() {
    return bytes.clone();
  }

  /** {@code whsec_} and the base64 of the bytes: shown to the tenant once. */
  public String written() {
    return PREFIX + Base64.getEncoder().encodeToString(bytes);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof WebhookSecret that && Arrays.equals(bytes, that.bytes);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(bytes);
  }

  @Override
  public String toString() {
    return "WebhookSecret[***]";
  }
}
